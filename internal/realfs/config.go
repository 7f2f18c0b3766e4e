package realfs

import (
	_ "embed"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"text/template"
)

//go:embed testdata/freeswitch.xml.tmpl
var configTemplate string

// HeartbeatSeconds is the instance's HEARTBEAT interval (FreeSWITCH's
// default is 20 s; shorter makes heartbeat behaviour testable).
const HeartbeatSeconds = 5

// writeConfig lays out the state directory: configuration, the Lua
// directory and a one-second beep for playback tests.
func (fs *FreeSWITCH) writeConfig(port int) error {
	for _, sub := range []string{"conf", "log", "db", "run", "tmp", "sounds", "cache", "rec", "storage", "certs", "lua"} {
		if err := os.MkdirAll(filepath.Join(fs.Dir, sub), 0o755); err != nil {
			return err
		}
	}
	tmpl, err := template.New("conf").Delims("{{", "}}").Parse(configTemplate)
	if err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(fs.Dir, "conf", "freeswitch.xml"))
	if err != nil {
		return err
	}
	defer f.Close()
	err = tmpl.Execute(f, map[string]string{
		"ESLPort": strconv.Itoa(port), "Password": fs.Password, "Dir": fs.Dir,
		"LuaDir": fs.LuaDir, "Heartbeat": strconv.Itoa(HeartbeatSeconds),
	})
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(fs.Dir, "sounds", "beep.wav"), beepWAV(), 0o644)
}

// BeepPath is a one-second 440 Hz mono 8 kHz WAV inside the state directory.
func (fs *FreeSWITCH) BeepPath() string { return filepath.Join(fs.Dir, "sounds", "beep.wav") }

// beepWAV makes one second of a 440 Hz tone, 16-bit mono at 8 kHz.
func beepWAV() []byte {
	const rate, n = 8000, 8000
	b := make([]byte, 44+2*n)
	copy(b[0:], "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+2*n))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1) // PCM
	binary.LittleEndian.PutUint16(b[22:], 1) // mono
	binary.LittleEndian.PutUint32(b[24:], rate)
	binary.LittleEndian.PutUint32(b[28:], 2*rate)
	binary.LittleEndian.PutUint16(b[32:], 2)
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], 2*n)
	for i := 0; i < n; i++ {
		v := int16(8000 * math.Sin(2*math.Pi*440*float64(i)/rate))
		binary.LittleEndian.PutUint16(b[44+2*i:], uint16(v))
	}
	return b
}
