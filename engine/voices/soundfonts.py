"""Expand an sf3 soundfont (Ogg-compressed samples, MuseScore's format) to a plain sf2 once, at install time.

fluidsynth decodes every Ogg sample of an sf3 when it loads it (MuseScore_General: ~11 s on a quiet machine,
every process); the expanded sf2 loads in about a second. ``make install`` runs
``python -m engine.voices.soundfonts``, which writes ``EXPANDED_DIR/<name>.sf2`` for each installed sf3 that has
none; the sampler then prefers the expanded file (sampler.SOUNDFONT_PATHS). Only the sample chunk and the sample
headers change: presets, instruments, zones and generators are copied byte for byte.

sf3 sample headers: a compressed sample (type bit 0x10) has start/end as byte offsets of its Ogg stream in the
sample chunk and its loop points in frames relative to its own start; an sf2 wants frame offsets into one 16-bit
PCM chunk, each sample followed by 46 zero frames.
"""

from __future__ import annotations

import io
import struct
import sys
from pathlib import Path

import numpy as np

EXPANDED_DIR = Path.home() / ".cache" / "soundstar" / "soundfonts"
SF3_SEARCH = (Path("/usr/share/sounds/sf3/MuseScore_General.sf3"),)
_COMPRESSED = 0x10
_SHDR = struct.Struct("<20sIIIIIBbHH")


def expanded_path(sf3: Path, directory: Path = EXPANDED_DIR) -> Path:
    return directory / (sf3.stem + ".sf2")


def _chunks(data: bytes, start: int, stop: int) -> list[tuple[bytes, int, int]]:
    """(id, payload start, payload size) of the RIFF chunks between start and stop."""
    out = []
    pos = start
    while pos + 8 <= stop:
        cid, size = data[pos:pos + 4], struct.unpack_from("<I", data, pos + 4)[0]
        out.append((cid, pos + 8, size))
        pos += 8 + size + (size & 1)
    return out


def _chunk(cid: bytes, payload: bytes) -> bytes:
    return cid + struct.pack("<I", len(payload)) + payload + (b"\0" if len(payload) & 1 else b"")


def expand_sf3(src: Path, dst: Path) -> Path:
    """Write ``dst``, an sf2 with ``src``'s presets and its samples decoded to 16-bit PCM. Returns ``dst``."""
    import soundfile as sf

    data = src.read_bytes()
    if data[:4] != b"RIFF" or data[8:12] != b"sfbk":
        raise ValueError(f"{src} is not a soundfont")
    lists = {data[s:s + 4]: (s + 4, s + size) for cid, s, size in _chunks(data, 12, len(data)) if cid == b"LIST"}
    info_start, info_stop = lists[b"INFO"]
    sdta_start, sdta_stop = lists[b"sdta"]
    pdta_start, pdta_stop = lists[b"pdta"]
    smpl = next((s, size) for cid, s, size in _chunks(data, sdta_start, sdta_stop) if cid == b"smpl")
    pdta = _chunks(data, pdta_start, pdta_stop)
    shdr_start, shdr_size = next((s, size) for cid, s, size in pdta if cid == b"shdr")
    headers = [list(_SHDR.unpack_from(data, shdr_start + i * 46)) for i in range(shdr_size // 46)]
    pieces: list[np.ndarray] = []
    cursor = 0
    decoded: dict[tuple[int, int], tuple[int, int]] = {}  # one Ogg stream shared by two headers is decoded once
    for header in headers[:-1]:  # the last record is the terminal "EOS"
        start, end, loop_start, loop_end, sample_type = header[1], header[2], header[3], header[4], header[9]
        if sample_type & _COMPRESSED:
            key = (start, end)
            if key not in decoded:
                stream = data[smpl[0] + start: smpl[0] + end]
                audio, _rate = sf.read(io.BytesIO(stream), dtype="int16", always_2d=True)
                pcm = np.ascontiguousarray(audio[:, 0])
                decoded[key] = (cursor, pcm.size)
                pieces.extend([pcm, np.zeros(46, dtype=np.int16)])
                cursor += pcm.size + 46
            offset, length = decoded[key]
            header[1], header[2] = offset, offset + length
            header[3], header[4] = offset + loop_start, offset + loop_end
            header[9] = sample_type & ~_COMPRESSED
        else:  # already PCM: copy its frames
            pcm = np.frombuffer(data, dtype="<i2", count=end - start, offset=smpl[0] + 2 * start)
            header[1], header[2] = cursor, cursor + pcm.size
            header[3], header[4] = cursor + loop_start - start, cursor + loop_end - start
            pieces.extend([pcm.astype(np.int16), np.zeros(46, dtype=np.int16)])
            cursor += pcm.size + 46
    shdr = b"".join(_SHDR.pack(*h) for h in headers)
    info = bytearray()
    for cid, s, size in _chunks(data, info_start, info_stop):
        payload = struct.pack("<HH", 2, 1) if cid == b"ifil" else data[s:s + size]
        info += _chunk(cid, payload)
    pdta_out = b"".join(_chunk(cid, shdr if cid == b"shdr" else data[s:s + size]) for cid, s, size in pdta)
    sdta_out = _chunk(b"smpl", np.concatenate(pieces).astype("<i2").tobytes() if pieces else b"")
    body = (b"sfbk" + _chunk(b"LIST", b"INFO" + bytes(info)) + _chunk(b"LIST", b"sdta" + sdta_out) +
            _chunk(b"LIST", b"pdta" + pdta_out))
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_suffix(".part")
    tmp.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    tmp.replace(dst)
    return dst


def main(argv: list[str] | None = None) -> int:
    """Expand every installed sf3 of SF3_SEARCH that has no expanded copy yet (``make install``)."""
    args = argv if argv is not None else sys.argv[1:]
    sources = [Path(a) for a in args] or [p for p in SF3_SEARCH if p.is_file()]
    for src in sources:
        dst = expanded_path(src)
        if dst.is_file():
            print(f"{dst} exists")
            continue
        expand_sf3(src, dst)
        print(f"expanded {src} -> {dst} ({dst.stat().st_size / 2**20:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
