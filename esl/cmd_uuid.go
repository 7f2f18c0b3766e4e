package esl

import "crypto/rand"

// NewUUID returns a random (version 4) UUID in its canonical text form,
// e.g. "0f7c1e2a-9b3d-4c5e-8f60-718293a4b5c6". It is used for our Job-UUID
// and Event-UUID headers.
func NewUUID() string {
	var u [16]byte
	_, _ = rand.Read(u[:]) // crypto/rand.Read never fails (Go 1.24+)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	const hexdig = "0123456789abcdef"
	dst := make([]byte, 0, 36)
	for i, b := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, hexdig[b>>4], hexdig[b&0x0f])
	}
	return string(dst)
}
