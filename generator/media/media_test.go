package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The fixtures are real files from Debian's lame and ffmpeg; see
// testdata/README.md for the commands. ffprobe is the column of
// `ffprobe -v error -show_entries format=duration -of csv=p=0 FILE`.
var fixtures = []struct {
	file       string
	typ        string
	method     string
	vbr        bool
	sampleRate int
	ffprobe    float64 // seconds, as ffprobe 5.1 reports the format duration
	want       float64 // seconds; equals ffprobe unless noted
}{
	// lame -t: no header; MPEG-2 22.05 kHz 32 kbit/s; ID3v2.3 before the
	// audio and an ID3v1 tag after it. ffprobe counts the 128-byte ID3v1
	// tag as audio (128 × 8 / 32000 = 0.032 s more); we do not.
	{"cbr.mp3", "audio/mpeg", "cbr", false, 22050, 3.088250, 3.056250},
	// ffmpeg/libmp3lame: MPEG-1 44.1 kHz CBR with an Info header and ID3v2.4.
	{"info.mp3", "audio/mpeg", "info", false, 44100, 3.030204, 3.030204},
	// lame -V 9: MPEG-2 22.05 kHz mono VBR, Xing header.
	{"vbr.mp3", "audio/mpeg", "xing", true, 22050, 3.056327, 3.056327},
	// ffmpeg/libmp3lame -q:a 9: MPEG-1 32 kHz stereo VBR, Xing header after
	// 32 bytes of side information, ID3v2.4.
	{"stereo.mp3", "audio/mpeg", "xing", true, 32000, 3.060000, 3.060000},
	// lame -t -V 9 frames behind a VBRI header frame (testdata/mkvbri.go).
	{"vbri.mp3", "audio/mpeg", "vbri", true, 22050, 3.056327, 3.056327},
	// ffmpeg AAC in M4A: moov after mdat (default) and before it (faststart).
	{"tone.m4a", "audio/x-m4a", "mvhd", false, 0, 3.000000, 3.000000},
	{"faststart.m4a", "audio/x-m4a", "mvhd", false, 0, 3.000000, 3.000000},
}

func seconds(s float64) time.Duration { return time.Duration(s*1e6+0.5) * time.Microsecond }

func TestProbeFixtures(t *testing.T) {
	t.Parallel()
	for _, f := range fixtures {
		t.Run(f.file, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join("testdata", f.file))
			if err != nil {
				t.Fatal(err)
			}
			info, err := ProbeBytes(data)
			if err != nil {
				t.Fatalf("Probe: %v", err)
			}
			if info.Type != f.typ || info.Method != f.method || info.VBR != f.vbr || info.SampleRate != f.sampleRate {
				t.Errorf("got type %q method %q vbr %v rate %d; want %q %q %v %d",
					info.Type, info.Method, info.VBR, info.SampleRate, f.typ, f.method, f.vbr, f.sampleRate)
			}
			// ffprobe prints microseconds; our durations are exact to the
			// nanosecond, so allow the rounding of its last digit.
			if diff := (info.Duration - seconds(f.want)).Abs(); diff > time.Microsecond {
				t.Errorf("duration %v, want %v (ffprobe %vs)", info.Duration, seconds(f.want), f.ffprobe)
			}
			if info.Bitrate < 8000 || info.Bitrate > 64000 {
				t.Errorf("bitrate %d: implausible for a low-rate test tone", info.Bitrate)
			}
		})
	}
}

// Probe needs no more than a ReaderAt: a reader that counts bytes shows it
// does not read the audio data of an MP3 with a VBR header.
func TestProbeReadsLittle(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("testdata", "vbr.mp3"))
	if err != nil {
		t.Fatal(err)
	}
	cr := &countingReader{r: bytes.NewReader(data)}
	if _, err := Probe(cr, int64(len(data))); err != nil {
		t.Fatal(err)
	}
	if cr.n > 4096+4+512 {
		t.Errorf("read %d bytes of %d", cr.n, len(data))
	}
}

type countingReader struct {
	r *bytes.Reader
	n int
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n += n
	return n, err
}

// box builds an MP4 box.
func box(typ string, payload ...[]byte) []byte {
	body := bytes.Join(payload, nil)
	b := make([]byte, 8, 8+len(body))
	binary.BigEndian.PutUint32(b, uint32(8+len(body)))
	copy(b[4:], typ)
	return append(b, body...)
}

func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
func u64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

func mvhd0(timescale, duration uint32) []byte {
	return box("mvhd", u32(0), u32(0), u32(0), u32(timescale), u32(duration), make([]byte, 80))
}

func trak(handler string) []byte {
	return box("trak", box("mdia", box("hdlr", u32(0), u32(0), []byte(handler), make([]byte, 13))))
}

func TestProbeMP4Synthetic(t *testing.T) {
	t.Parallel()
	ftyp := func(brand string) []byte { return box("ftyp", []byte(brand), u32(0), []byte("isom")) }
	mvhd1 := box("mvhd", u32(1<<24), u64(0), u64(0), u32(48000), u64(48000*3725+24000), make([]byte, 80))
	// A 64-bit mdat size (size field 1) must be followed, not misread.
	bigMdat := append(append(u32(1), []byte("mdat")...), u64(16+4)...)
	bigMdat = append(bigMdat, 1, 2, 3, 4)
	tests := []struct {
		name string
		data []byte
		typ  string
		dur  time.Duration
		err  string
	}{
		{"v0 audio", bytes.Join([][]byte{ftyp("M4A "), box("moov", mvhd0(1000, 61500), trak("soun"))}, nil), "audio/x-m4a", 61500 * time.Millisecond, ""},
		{"v1 after large mdat", bytes.Join([][]byte{ftyp("M4A "), bigMdat, box("moov", mvhd1, trak("soun"))}, nil), "audio/x-m4a", 3725*time.Second + 500*time.Millisecond, ""},
		{"video", bytes.Join([][]byte{ftyp("isom"), box("moov", mvhd0(600, 600*90), trak("vide"), trak("soun"))}, nil), "video/mp4", 90 * time.Second, ""},
		{"m4v", bytes.Join([][]byte{ftyp("M4V "), box("moov", mvhd0(600, 600), trak("vide"))}, nil), "video/x-m4v", time.Second, ""},
		{"fragmented", bytes.Join([][]byte{ftyp("iso5"), box("moov", mvhd0(1000, 0), box("mvex", box("mehd", u32(0), u32(12345))), trak("soun"))}, nil), "audio/x-m4a", 12345 * time.Millisecond, ""},
		{"no moov", bytes.Join([][]byte{ftyp("M4A "), box("mdat", make([]byte, 100))}, nil), "", 0, "mp4: no movie box (moov): the file is incomplete"},
		{"truncated", bytes.Join([][]byte{ftyp("M4A "), box("moov", mvhd0(1000, 1000), trak("soun"))[:40]}, nil), "", 0, "bad size"},
		{"no tracks", bytes.Join([][]byte{ftyp("M4A "), box("moov", mvhd0(1000, 1000))}, nil), "", 0, "mp4: no audio or video track"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := ProbeBytes(tt.data)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if info.Type != tt.typ || info.Duration != tt.dur {
				t.Errorf("got %q %v, want %q %v", info.Type, info.Duration, tt.typ, tt.dur)
			}
		})
	}
}

func TestProbeErrors(t *testing.T) {
	t.Parallel()
	mp3, err := os.ReadFile(filepath.Join("testdata", "info.mp3"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, ErrUnknownFormat.Error()},
		{"text", []byte("<!DOCTYPE html><html>not audio</html>"), ErrUnknownFormat.Error()},
		{"ogg", append([]byte("OggS"), make([]byte, 100)...), ErrUnknownFormat.Error()},
		{"aac adts", append([]byte{0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC}, make([]byte, 100)...), ErrUnknownFormat.Error()},
		{"id3 only", append([]byte("ID3\x04\x00\x00\x00\x00\x00\x0a"), make([]byte, 10)...), "mp3: no MPEG audio frame found"},
		{"id3 too long", []byte("ID3\x04\x00\x00\x00\x00\x7f\x7f"), "mp3: ID3v2 tag is longer than the file"},
		{"junk after id3", append(append([]byte(nil), mp3[:20]...), bytes.Repeat([]byte{0xFF, 0x00}, 200)...), "mp3: no MPEG audio frame found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ProbeBytes(tt.data)
			if err == nil || err.Error() != tt.want {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := ProbeBytes(nil); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("errors.Is(ErrUnknownFormat) = false for %v", err)
	}
}

// A CBR file cut short still probes (podcast hosts sometimes serve
// truncated uploads; the duration shrinks with the data).
func TestProbeTruncatedMP3(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("testdata", "cbr.mp3"))
	if err != nil {
		t.Fatal(err)
	}
	full, err := ProbeBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	half, err := ProbeBytes(data[:len(data)/2])
	if err != nil {
		t.Fatal(err)
	}
	if half.Duration <= 0 || half.Duration >= full.Duration {
		t.Errorf("truncated duration %v, full %v", half.Duration, full.Duration)
	}
}

func FuzzProbe(f *testing.F) {
	for _, fx := range fixtures {
		data, err := os.ReadFile(filepath.Join("testdata", fx.file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[:min(len(data), 2048)])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := ProbeBytes(data)
		if err == nil && info.Duration < 0 {
			t.Errorf("negative duration %v", info.Duration)
		}
	})
}
