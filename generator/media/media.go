// Package media reads what a podcast feed needs to know about an audio
// file from the file itself: its media type and duration. It understands
// MP3 (MPEG audio, constant bit rate, and variable bit rate through a
// Xing/Info or VBRI header, behind any ID3v2 tags) and MP4/M4A (the movie
// header, mvhd).
//
// The package is pure: it reads through an io.ReaderAt and never touches
// the file system.
package media

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"
)

// Info describes an audio file.
type Info struct {
	Format string // "mp3" or "mp4"
	// Type is the MIME type podcast apps expect in an enclosure:
	// audio/mpeg, audio/x-m4a, video/mp4, video/x-m4v or video/quicktime.
	Type string
	// Duration is the playing time. For MP3 it is frames × samples per
	// frame ÷ sample rate, the way ffprobe reports it (encoder delay and
	// padding are not subtracted). 0 when the file does not say.
	Duration time.Duration
	// Bitrate is the average bit rate in bits per second; 0 when unknown.
	Bitrate int
	// SampleRate in Hz; 0 when unknown (MP4).
	SampleRate int
	// VBR is true for MP3 files with a Xing or VBRI header.
	VBR bool
	// Method says where the duration came from: "xing" (VBR header),
	// "info" (LAME's CBR header), "vbri" (Fraunhofer VBR header), "cbr"
	// (file size ÷ bit rate), "mvhd" or "mehd" (MP4 headers).
	Method string
}

// ErrUnknownFormat is returned for data that is neither MP3 nor MP4.
var ErrUnknownFormat = errors.New("not an MP3 or MP4/M4A file")

// Probe reads the file of the given size through r.
func Probe(r io.ReaderAt, size int64) (Info, error) {
	if size < 8 {
		return Info{}, ErrUnknownFormat
	}
	head := make([]byte, 12)
	if _, err := r.ReadAt(head, 0); err != nil && !(errors.Is(err, io.EOF) && size < 12) {
		return Info{}, fmt.Errorf("reading: %w", err)
	}
	if isMP4(head) {
		return probeMP4(r, size)
	}
	if _, ok := parseFrameHeader(head); ok || bytes.HasPrefix(head, []byte("ID3")) {
		return probeMP3(r, size)
	}
	return Info{}, ErrUnknownFormat
}

// ProbeBytes is Probe on a file held in memory.
func ProbeBytes(b []byte) (Info, error) {
	return Probe(bytes.NewReader(b), int64(len(b)))
}

// readAt reads exactly len(buf) bytes at off, or fails.
func readAt(r io.ReaderAt, buf []byte, off int64) error {
	n, err := r.ReadAt(buf, off)
	if n == len(buf) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// fraction returns num/den seconds as a Duration without overflowing for
// any plausible file (num up to 2^63/1e9 × den).
func fraction(num, den int64) time.Duration {
	if den <= 0 || num <= 0 {
		return 0
	}
	whole := num / den
	rest := num % den
	return time.Duration(whole)*time.Second + time.Duration(rest*int64(time.Second)/den)
}
