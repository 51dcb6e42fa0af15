package media

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// maxBoxes bounds the number of MP4 boxes visited, so a crafted file of
// tiny boxes cannot keep the parser busy.
const maxBoxes = 100000

// topLevelBoxes are the box types an MP4 or QuickTime file may start with.
var topLevelBoxes = map[string]bool{"ftyp": true, "moov": true, "mdat": true, "free": true, "skip": true, "wide": true, "pnot": true}

func isMP4(head []byte) bool {
	if len(head) < 8 {
		return false
	}
	n := binary.BigEndian.Uint32(head)
	return topLevelBoxes[string(head[4:8])] && (n == 0 || n == 1 || n >= 8)
}

// walker visits the boxes of an MP4 file.
type walker struct {
	r     io.ReaderAt
	count int
}

// each calls fn for every box in [start, end): its type, the offset of its
// payload and its end.
func (w *walker) each(start, end int64, fn func(typ string, body, boxEnd int64) error) error {
	for off := start; off+8 <= end; {
		if w.count++; w.count > maxBoxes {
			return errors.New("too many boxes")
		}
		var hdr [16]byte
		if err := readAt(w.r, hdr[:8], off); err != nil {
			return err
		}
		size := int64(binary.BigEndian.Uint32(hdr[:4]))
		typ := string(hdr[4:8])
		body := off + 8
		switch size {
		case 0: // extends to the end of the enclosing box
			size = end - off
		case 1: // 64-bit size follows the type
			if err := readAt(w.r, hdr[8:16], off+8); err != nil {
				return err
			}
			size = int64(binary.BigEndian.Uint64(hdr[8:16]))
			body += 8
		}
		if size < body-off || size > end-off {
			return fmt.Errorf("box %q at byte %d has a bad size", printable(typ), off)
		}
		if err := fn(typ, body, off+size); err != nil {
			return err
		}
		off += size
	}
	return nil
}

func printable(s string) string {
	for _, c := range []byte(s) {
		if c < 0x20 || c > 0x7e {
			return fmt.Sprintf("%x", s)
		}
	}
	return s
}

// errStop ends a walk early once everything needed is known.
var errStop = errors.New("stop")

func probeMP4(r io.ReaderAt, size int64) (Info, error) {
	w := &walker{r: r}
	var (
		brand               string
		foundMoov, foundHdr bool
		timescale           uint32
		duration            uint64
		fragDuration        uint64
		hasVideo, hasAudio  bool
	)
	err := w.each(0, size, func(typ string, body, end int64) error {
		switch typ {
		case "ftyp":
			var b [4]byte
			if end-body >= 4 && readAt(r, b[:], body) == nil {
				brand = string(b[:])
			}
		case "moov":
			foundMoov = true
			return w.each(body, end, func(typ string, body, end int64) error {
				switch typ {
				case "mvhd":
					ts, d, err := readMvhd(r, body, end)
					if err != nil {
						return err
					}
					foundHdr, timescale, duration = true, ts, d
				case "mvex":
					return w.each(body, end, func(typ string, body, end int64) error {
						if typ == "mehd" {
							d, err := readMehd(r, body, end)
							if err != nil {
								return err
							}
							fragDuration = d
						}
						return nil
					})
				case "trak":
					h, err := handlerType(w, body, end)
					if err != nil {
						return err
					}
					hasVideo = hasVideo || h == "vide"
					hasAudio = hasAudio || h == "soun"
				}
				return nil
			})
		}
		return nil
	})
	if err != nil {
		return Info{}, fmt.Errorf("mp4: %w", err)
	}
	if !foundMoov {
		return Info{}, errors.New("mp4: no movie box (moov): the file is incomplete")
	}
	if !foundHdr || timescale == 0 {
		return Info{}, errors.New("mp4: no movie header (mvhd)")
	}
	info := Info{Format: "mp4", Type: "audio/x-m4a", Method: "mvhd"}
	switch {
	case hasVideo && brand == "qt  ":
		info.Type = "video/quicktime"
	case hasVideo && brand == "M4V ":
		info.Type = "video/x-m4v"
	case hasVideo:
		info.Type = "video/mp4"
	case !hasAudio:
		return Info{}, errors.New("mp4: no audio or video track")
	}
	// All ones means unknown (fragmented files); the fragments' total is
	// then in mvex/mehd.
	if duration == 0 || duration == 0xFFFFFFFF || duration == 1<<64-1 {
		duration, info.Method = fragDuration, "mehd"
	}
	if duration > 1<<62/uint64(timescale) {
		return Info{}, errors.New("mp4: implausible duration")
	}
	info.Duration = fraction(int64(duration), int64(timescale))
	if info.Duration > 0 {
		info.Bitrate = int(size * 8 * int64(timescale) / int64(duration))
	}
	return info, nil
}

// readMvhd returns the movie timescale and duration.
func readMvhd(r io.ReaderAt, body, end int64) (timescale uint32, duration uint64, err error) {
	var v [1]byte
	if err := readAt(r, v[:], body); err != nil {
		return 0, 0, err
	}
	var b []byte
	switch v[0] {
	case 0: // version, flags, creation, modification: 4 bytes each
		b = make([]byte, 8)
		if body+12+8 > end {
			return 0, 0, errors.New("mvhd box too short")
		}
		if err := readAt(r, b, body+12); err != nil {
			return 0, 0, err
		}
		return binary.BigEndian.Uint32(b), uint64(binary.BigEndian.Uint32(b[4:])), nil
	case 1: // 64-bit creation and modification times
		b = make([]byte, 12)
		if body+20+12 > end {
			return 0, 0, errors.New("mvhd box too short")
		}
		if err := readAt(r, b, body+20); err != nil {
			return 0, 0, err
		}
		return binary.BigEndian.Uint32(b), binary.BigEndian.Uint64(b[4:]), nil
	}
	return 0, 0, fmt.Errorf("mvhd version %d not supported", v[0])
}

// readMehd reads the fragment duration of an mehd box: 32 bits in
// version 0, 64 bits in version 1.
func readMehd(r io.ReaderAt, body, end int64) (uint64, error) {
	var v [1]byte
	if err := readAt(r, v[:], body); err != nil {
		return 0, err
	}
	n := int64(4)
	if v[0] == 1 {
		n = 8
	}
	if body+4+n > end {
		return 0, errors.New("box too short")
	}
	b := make([]byte, n)
	if err := readAt(r, b, body+4); err != nil {
		return 0, err
	}
	if n == 4 {
		return uint64(binary.BigEndian.Uint32(b)), nil
	}
	return binary.BigEndian.Uint64(b), nil
}

// handlerType finds trak/mdia/hdlr and returns its handler ("soun",
// "vide", ...).
func handlerType(w *walker, body, end int64) (string, error) {
	var h string
	err := w.each(body, end, func(typ string, body, end int64) error {
		if typ != "mdia" {
			return nil
		}
		return w.each(body, end, func(typ string, body, end int64) error {
			if typ != "hdlr" || end-body < 12 {
				return nil
			}
			var b [4]byte
			if err := readAt(w.r, b[:], body+8); err != nil {
				return err
			}
			h = string(b[:])
			return errStop
		})
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	return h, err
}
