package e2e

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BaresipConfig sets up a baresip softphone that auto-answers.
type BaresipConfig struct {
	// User is the account user; baresip answers 404 to any other user, so
	// it is the number the robot dials.
	User string
	// AudioFile is what baresip sends after answering (8 kHz WAV). baresip
	// hangs up when it ends, so make it longer than the call.
	AudioFile string
}

// Baresip is a running baresip.
type Baresip struct {
	*Process
	Addr    string // SIP address 127.0.0.1:port
	ctrl    string // ctrl_tcp address
	RecDir  string // sndfile dumps: *-dec.wav is what baresip heard
	account string
}

// StartBaresip writes a configuration (net_interface 127.0.0.1, auto
// answer, ctrl_tcp for commands, sndfile recording) and starts baresip.
func StartBaresip(t testing.TB, cfg BaresipConfig) *Baresip {
	t.Helper()
	bin := RequireBinary(t, "baresip", "baresip")
	dir := t.TempDir()
	rec := filepath.Join(dir, "rec")
	if err := os.MkdirAll(rec, 0o755); err != nil {
		t.Fatal(err)
	}
	account := fmt.Sprintf("<sip:%s@127.0.0.1>;regint=0;answermode=auto;audio_codecs=PCMA,PCMU\n", cfg.User)
	if err := os.WriteFile(filepath.Join(dir, "accounts"), []byte(account), 0o600); err != nil {
		t.Fatal(err)
	}
	var port, cport int
	p := startRetry(t, "baresip", 10*time.Second, func() (*Process, func() bool) {
		port, cport = FreePort(t), FreePort(t)
		writeBaresipConfig(t, dir, cfg, port, cport)
		p := start(t, "baresip", dir, bin, "-f", dir)
		return p, func() bool {
			return strings.Contains(p.Output(), "baresip is ready") && udpBound(port) && tcpListening(cport)
		}
	})
	return &Baresip{Process: p, Addr: fmt.Sprintf("127.0.0.1:%d", port), ctrl: fmt.Sprintf("127.0.0.1:%d", cport), RecDir: rec}
}

func writeBaresipConfig(t testing.TB, dir string, cfg BaresipConfig, port, cport int) {
	t.Helper()
	conf := strings.Join([]string{
		"poll_method epoll",
		fmt.Sprintf("sip_listen 127.0.0.1:%d", port),
		"net_interface 127.0.0.1",
		"audio_source aufile," + cfg.AudioFile,
		"audio_player aufile," + filepath.Join(dir, "unused.wav"),
		"audio_alert aufile," + filepath.Join(dir, "unused.wav"),
		"module_path /usr/lib/baresip/modules",
		"module g711.so", "module aufile.so", "module sndfile.so", "module account.so",
		"module menu.so", "module ctrl_tcp.so",
		fmt.Sprintf("ctrl_tcp_listen 127.0.0.1:%d", cport),
		"snd_path " + filepath.Join(dir, "rec"),
		"",
	}, "\n")
	if err := os.WriteFile(filepath.Join(dir, "config"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
}

// tcpListening reports whether something accepts connections on 127.0.0.1:p.
func tcpListening(p int) bool {
	c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", p), 200*time.Millisecond)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// Command sends one ctrl_tcp command (netstring-framed JSON) and returns the
// response data.
func (b *Baresip) Command(command, params string) (string, error) {
	c, err := net.DialTimeout("tcp", b.ctrl, 2*time.Second)
	if err != nil {
		return "", fmt.Errorf("baresip ctrl: %w", err)
	}
	defer c.Close()
	msg, _ := json.Marshal(map[string]string{"command": command, "params": params, "token": "t"})
	if _, err := c.Write([]byte(strconv.Itoa(len(msg)) + ":" + string(msg) + ",")); err != nil {
		return "", fmt.Errorf("baresip ctrl: %w", err)
	}
	_ = c.SetReadDeadline(time.Now().Add(3 * time.Second))
	buf := make([]byte, 64<<10)
	var got []byte
	for {
		n, err := c.Read(buf)
		got = append(got, buf[:n]...)
		if i := strings.Index(string(got), `"response":true`); i >= 0 && strings.HasSuffix(string(got), ",") {
			break
		}
		if err != nil {
			return "", fmt.Errorf("baresip ctrl read: %w", err)
		}
	}
	var resp struct {
		OK   bool   `json:"ok"`
		Data string `json:"data"`
	}
	s := string(got)
	start := strings.Index(s, ":{")
	if start < 0 || json.Unmarshal([]byte(strings.TrimSuffix(s[start+1:], ",")), &resp) != nil {
		return s, nil
	}
	if !resp.OK {
		return resp.Data, fmt.Errorf("baresip %s: %s", command, resp.Data)
	}
	return resp.Data, nil
}

// SendDigits presses keys in the active call (RFC 4733 telephone-events).
func (b *Baresip) SendDigits(digits string) error {
	_, err := b.Command("sndcode", digits)
	return err
}

// HeardFile returns the path of the WAV with what baresip received (the
// sndfile module's decoder dump), once it exists. baresip 1.0.0 names its
// dumps dump-YYYY-MM-DD-hh-mm-ss-dec.wav (received) and ...-enc.wav (sent),
// one pair per call; the newest is returned.
func (b *Baresip) HeardFile() (string, error) {
	m, _ := filepath.Glob(filepath.Join(b.RecDir, "dump-*-dec.wav"))
	if len(m) == 0 {
		all, _ := filepath.Glob(filepath.Join(b.RecDir, "*"))
		return "", fmt.Errorf("no decoder dump in %s (have %v)", b.RecDir, all)
	}
	return m[len(m)-1], nil
}
