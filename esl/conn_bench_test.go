package esl

import (
	"bufio"
	"context"
	"net"
	"strings"
	"testing"
)

// BenchmarkConnAPI measures one api round trip on loopback against a
// server that answers from a buffered reader.
func BenchmarkConnAPI(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		br := bufio.NewReader(nc)
		reply := []byte(frAPI("+OK\n"))
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			if line == "\n" {
				if _, err := nc.Write(reply); err != nil {
					return
				}
			}
		}
	}()
	nc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	c := NewConn(nc, ConnOptions{})
	defer c.Close()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if body, err := c.API(ctx, "status"); err != nil || !strings.HasPrefix(body, "+OK") {
			b.Fatal(body, err)
		}
	}
}

// BenchmarkConnEventDelivery measures reader throughput for plain events
// delivered to one subscriber.
func BenchmarkConnEventDelivery(b *testing.B) {
	ev := frEvent("", "Event-Name", "HEARTBEAT", "Core-UUID", "bbfef30f-487b-46ad-8c97-a579ecf4c714",
		"Event-Date-Local", "2026-11-23%2005%3A43%3A36", "Event-Sequence", "532")
	server, client := net.Pipe()
	c := NewConn(client, ConnOptions{})
	defer c.Close()
	sub := c.Subscribe(SubscribeOptions{})
	burst := []byte(strings.Repeat(ev, 100))
	b.SetBytes(int64(len(ev)))
	b.ReportAllocs()
	go func() {
		for i := 0; i < b.N; i += 100 {
			if _, err := server.Write(burst); err != nil {
				return
			}
		}
	}()
	for i := 0; i < b.N; i++ {
		<-sub.C
	}
	b.StopTimer()
	server.Close()
}
