package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// maxSyncSearch bounds how far past the ID3 tags we look for the first
// MPEG audio frame (some encoders pad with zeros or junk).
const maxSyncSearch = 256 << 10

// frameHeader is a decoded 4-byte MPEG audio frame header.
type frameHeader struct {
	version    int // 1 = MPEG-1, 2 = MPEG-2, 25 = MPEG-2.5
	layer      int // 1, 2 or 3
	bitrate    int // bits per second
	sampleRate int // Hz
	padding    int // bytes
	mono       bool
}

var bitrates = map[[2]int][15]int{ // [version==1, layer] -> kbit/s by index
	{1, 1}: {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
	{1, 2}: {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
	{1, 3}: {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
	{2, 1}: {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
	{2, 2}: {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
	{2, 3}: {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
}

// parseFrameHeader decodes b[0:4]; ok is false for anything that is not a
// valid, non-free-format frame header.
func parseFrameHeader(b []byte) (h frameHeader, ok bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return h, false
	}
	switch (b[1] >> 3) & 3 {
	case 0:
		h.version = 25
	case 2:
		h.version = 2
	case 3:
		h.version = 1
	default:
		return h, false
	}
	switch (b[1] >> 1) & 3 {
	case 1:
		h.layer = 3
	case 2:
		h.layer = 2
	case 3:
		h.layer = 1
	default:
		return h, false
	}
	bi := int(b[2] >> 4)
	si := int(b[2]>>2) & 3
	if bi == 0 || bi == 15 || si == 3 {
		return h, false // free format, bad bit rate, reserved sample rate
	}
	tv := 2
	if h.version == 1 {
		tv = 1
	}
	h.bitrate = bitrates[[2]int{tv, h.layer}][bi] * 1000
	h.sampleRate = [3]int{44100, 48000, 32000}[si]
	switch h.version {
	case 2:
		h.sampleRate /= 2
	case 25:
		h.sampleRate /= 4
	}
	if b[2]&2 != 0 {
		h.padding = 1
		if h.layer == 1 {
			h.padding = 4
		}
	}
	h.mono = b[3]>>6 == 3
	return h, true
}

// samplesPerFrame is 384 for layer I, 1152 for layer II and MPEG-1 layer
// III, 576 for MPEG-2/2.5 layer III.
func (h frameHeader) samplesPerFrame() int {
	switch {
	case h.layer == 1:
		return 384
	case h.layer == 3 && h.version != 1:
		return 576
	}
	return 1152
}

// frameLength is the frame's size in bytes, header included.
func (h frameHeader) frameLength() int {
	if h.layer == 1 {
		return (12*h.bitrate/h.sampleRate)*4 + h.padding
	}
	return h.samplesPerFrame()/8*h.bitrate/h.sampleRate + h.padding
}

// sideInfoLength is the size of the layer III side information that
// follows the header; a Xing/Info header starts right after it.
func (h frameHeader) sideInfoLength() int {
	switch {
	case h.layer != 3:
		return 0
	case h.version == 1 && h.mono:
		return 17
	case h.version == 1:
		return 32
	case h.mono:
		return 9
	}
	return 17
}

func (h frameHeader) sameStream(o frameHeader) bool {
	return h.version == o.version && h.layer == o.layer && h.sampleRate == o.sampleRate
}

// skipID3v2 returns the offset after any ID3v2 tags at off.
func skipID3v2(r io.ReaderAt, off, size int64) (int64, error) {
	for {
		var hdr [10]byte
		if off+10 > size {
			return off, nil
		}
		if err := readAt(r, hdr[:], off); err != nil {
			return 0, err
		}
		if !bytes.Equal(hdr[:3], []byte("ID3")) {
			return off, nil
		}
		if hdr[3] == 0xFF || hdr[4] == 0xFF || (hdr[6]|hdr[7]|hdr[8]|hdr[9])&0x80 != 0 {
			return 0, errors.New("malformed ID3v2 tag")
		}
		n := int64(hdr[6])<<21 | int64(hdr[7])<<14 | int64(hdr[8])<<7 | int64(hdr[9])
		off += 10 + n
		if hdr[5]&0x10 != 0 { // footer present
			off += 10
		}
		if off > size {
			return 0, errors.New("ID3v2 tag is longer than the file")
		}
	}
}

// trailingTags returns how many bytes at the end of the file are tags, not
// audio: an ID3v1 tag and an APEv2 tag before it.
func trailingTags(r io.ReaderAt, start, size int64) int64 {
	end := size
	var b [32]byte
	if end-start >= 128 && readAt(r, b[:3], end-128) == nil && string(b[:3]) == "TAG" {
		end -= 128
	}
	if end-start >= 32 && readAt(r, b[:], end-32) == nil && string(b[:8]) == "APETAGEX" {
		n := int64(binary.LittleEndian.Uint32(b[12:16])) // tag size without header
		if binary.LittleEndian.Uint32(b[20:24])&(1<<31) != 0 {
			n += 32 // header present
		}
		if n > 0 && n <= end-start {
			end -= n
		}
	}
	return end
}

// findFrame finds the first frame header at or after off whose successor
// is also a frame of the same stream (or the end of the data), so a stray
// 0xFF in padding is not taken for audio.
func findFrame(r io.ReaderAt, off, end int64) (int64, frameHeader, error) {
	limit := min(end, off+maxSyncSearch)
	buf := make([]byte, 4096+4)
	for pos := off; pos < limit; {
		n, err := r.ReadAt(buf, pos)
		if n < 4 {
			if err != nil && !errors.Is(err, io.EOF) {
				return 0, frameHeader{}, err
			}
			break
		}
		for i := 0; i+4 <= n; i++ {
			if pos+int64(i) >= limit {
				break
			}
			h, ok := parseFrameHeader(buf[i:])
			if !ok {
				continue
			}
			at := pos + int64(i)
			next := at + int64(h.frameLength())
			if next > end {
				continue
			}
			if next+4 > end {
				return at, h, nil // a single frame at the end of the data
			}
			var nb [4]byte
			if err := readAt(r, nb[:], next); err != nil {
				return 0, frameHeader{}, err
			}
			if h2, ok := parseFrameHeader(nb[:]); ok && h.sameStream(h2) {
				return at, h, nil
			}
		}
		pos += int64(n - 3) // overlap so a header across reads is seen
	}
	return 0, frameHeader{}, errors.New("no MPEG audio frame found")
}

func probeMP3(r io.ReaderAt, size int64) (Info, error) {
	start, err := skipID3v2(r, 0, size)
	if err != nil {
		return Info{}, fmt.Errorf("mp3: %w", err)
	}
	end := trailingTags(r, start, size)
	at, h, err := findFrame(r, start, end)
	if err != nil {
		return Info{}, fmt.Errorf("mp3: %w", err)
	}
	info := Info{Format: "mp3", Type: "audio/mpeg", SampleRate: h.sampleRate}
	spf := int64(h.samplesPerFrame())

	// The first frame may carry a VBR header instead of audio.
	frame := make([]byte, min(int64(h.frameLength()), end-at))
	if err := readAt(r, frame, at); err != nil {
		return Info{}, fmt.Errorf("mp3: %w", err)
	}
	if x := 4 + h.sideInfoLength(); len(frame) >= x+8 && (string(frame[x:x+4]) == "Xing" || string(frame[x:x+4]) == "Info") {
		info.Method = "xing"
		info.VBR = true
		if string(frame[x:x+4]) == "Info" {
			info.Method, info.VBR = "info", false
		}
		flags := binary.BigEndian.Uint32(frame[x+4:])
		p := x + 8
		var frames, bytes int64
		if flags&1 != 0 && len(frame) >= p+4 {
			frames = int64(binary.BigEndian.Uint32(frame[p:]))
			p += 4
		}
		if flags&2 != 0 && len(frame) >= p+4 {
			bytes = int64(binary.BigEndian.Uint32(frame[p:]))
		}
		if frames > 0 {
			info.Duration = fraction(frames*spf, int64(h.sampleRate))
			if bytes <= 0 || bytes > end-at {
				bytes = end - at
			}
			info.Bitrate = bitrate(bytes, frames*spf, h.sampleRate)
			return info, nil
		}
		// No frame count: fall back to the bit rate, without the header frame.
		at += int64(len(frame))
	} else if len(frame) >= 4+32+18 && string(frame[36:40]) == "VBRI" && binary.BigEndian.Uint16(frame[40:]) == 1 {
		bytes := int64(binary.BigEndian.Uint32(frame[46:]))
		frames := int64(binary.BigEndian.Uint32(frame[50:]))
		if frames > 0 {
			info.Method, info.VBR = "vbri", true
			info.Duration = fraction(frames*spf, int64(h.sampleRate))
			if bytes <= 0 || bytes > end-at {
				bytes = end - at
			}
			info.Bitrate = bitrate(bytes, frames*spf, h.sampleRate)
			return info, nil
		}
		at += int64(len(frame))
	}
	// Constant bit rate: the audio data divided by the bit rate.
	info.Method = "cbr"
	info.Bitrate = h.bitrate
	info.Duration = fraction((end-at)*8, int64(h.bitrate))
	return info, nil
}

// bitrate is the average bit rate of n bytes playing for samples at rate.
func bitrate(n, samples int64, rate int) int {
	if samples <= 0 {
		return 0
	}
	return int(n * 8 * int64(rate) / samples)
}
