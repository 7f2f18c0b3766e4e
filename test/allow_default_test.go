package test

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl/esltest"
)

// A listener without an allow-list admits loopback peers only: a peer on
// another address of this machine is refused (and its call handed back),
// however the listener was defined (here by --listen on every address).
func TestListenerDefaultAllowIsLoopback(t *testing.T) {
	t.Parallel()
	var other string
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if ip, ok := a.(*net.IPNet); ok && !ip.IP.IsLoopback() && ip.IP.To4() != nil {
			other = ip.IP.String()
			break
		}
	}
	if other == "" {
		t.Skip("this machine has no non-loopback IPv4 address to connect from")
	}
	sim, secret := newSim(t, esltest.Options{})
	dir := writeScripts(t, map[string]string{"ivr.lua": `return { session = function(s) s:answer() end }`})
	p := startBin(t, secret, []string{"ESL_PASSWORD=" + secret}, "run", "--fs-address", sim.Addr(),
		"--listen", "0.0.0.0:0", "--script", "ivr", "--scripts", dir, "--log-format", "json")
	l := p.waitLog("eslscript: listening", msg("eslscript: listening"))
	_, port, _ := net.SplitHostPort(l.str("address"))
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(other)}, Timeout: 5 * time.Second}
	nc, err := d.Dial("tcp", net.JoinHostPort(other, port))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(waitLong))
	r := bufio.NewReader(nc)
	if line, err := r.ReadString('\n'); err != nil || line != "connect\n" {
		t.Fatalf("first command %q, %v", line, err)
	}
	refused := p.waitLog("the refusal", msg("esl: outbound connection refused"))
	if !strings.Contains(refused.str("reason"), "refused") || !strings.HasPrefix(refused.str("peer"), other+":") {
		t.Fatalf("refusal logged as %v", refused)
	}
}
