//go:build ignore

// mkvbri writes vbri.mp3: a Fraunhofer-style VBRI header frame followed by
// the frames of an MP3 stream that has no header of its own (lame -t).
// No Debian encoder writes VBRI headers, so the fixture is assembled here
// and its duration checked with ffprobe, which reads VBRI.
//
//	go run mkvbri.go /tmp/vbr-noxing.mp3 vbri.mp3
package main

import (
	"encoding/binary"
	"fmt"
	"os"
)

func main() {
	src, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail(err)
	}
	// Count the frames: MPEG-2 layer III, 22.05 kHz, as lame writes for
	// --resample 22.05 (no ID3 tags, no Xing header).
	kbps := [15]int{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}
	frames := 0
	for off := 0; off+4 <= len(src); frames++ {
		h := src[off:]
		if h[0] != 0xFF || h[1] != 0xF3 {
			fail(fmt.Errorf("byte %d: not an MPEG-2 layer III frame header", off))
		}
		br := kbps[h[2]>>4] * 1000
		pad := int(h[2]>>1) & 1
		off += 72*br/22050 + pad
	}
	// The VBRI frame: a 32 kbit/s mono frame (104 bytes) with the header
	// 32 bytes after the frame header.
	tag := make([]byte, 104)
	copy(tag, []byte{0xFF, 0xF3, 0x40, 0xC0})
	copy(tag[36:], "VBRI")
	binary.BigEndian.PutUint16(tag[40:], 1)                         // version
	binary.BigEndian.PutUint16(tag[42:], 0x0240)                    // encoder delay
	binary.BigEndian.PutUint16(tag[44:], 75)                        // quality
	binary.BigEndian.PutUint32(tag[46:], uint32(len(tag)+len(src))) // bytes
	binary.BigEndian.PutUint32(tag[50:], uint32(frames))            // frames
	binary.BigEndian.PutUint16(tag[54:], 0)                         // TOC entries
	binary.BigEndian.PutUint16(tag[56:], 1)                         // TOC scale
	binary.BigEndian.PutUint16(tag[58:], 2)                         // TOC entry size
	binary.BigEndian.PutUint16(tag[60:], 0)                         // frames per TOC entry
	if err := os.WriteFile(os.Args[2], append(tag, src...), 0o644); err != nil {
		fail(err)
	}
	fmt.Printf("%s: %d frames\n", os.Args[2], frames)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "mkvbri:", err)
	os.Exit(1)
}
