package rpc

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// ErrPinMismatch: the server's certificate matches none of the pins given
// with WithPinnedSHA256. The error says which digests the server offered.
var ErrPinMismatch = errors.New("rpc: server certificate matches no pinned SHA-256")

// CertificatePin returns the SHA-256 fingerprint of a certificate as
// colon-separated hex, the form `openssl x509 -noout -fingerprint -sha256`
// prints.
func CertificatePin(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	return colonHex(sum[:])
}

// PublicKeyPin returns the SHA-256 of a certificate's public key
// (SubjectPublicKeyInfo) in base64, the HPKP form; it survives the renewal
// of a certificate that keeps its key.
func PublicKeyPin(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(sum[:])
}

func colonHex(b []byte) string {
	h := strings.ToUpper(hex.EncodeToString(b))
	var s strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			s.WriteByte(':')
		}
		s.WriteString(h[i : i+2])
	}
	return s.String()
}

// parsePin reads a SHA-256 pin written as hex (colons and spaces allowed,
// an openssl "SHA256 Fingerprint=" prefix too) or base64 (optionally
// prefixed "sha256/").
func parsePin(pin string) ([]byte, error) {
	s := strings.TrimSpace(pin)
	if i := strings.IndexByte(s, '='); i >= 0 && strings.HasPrefix(strings.ToLower(s), "sha256 fingerprint") {
		s = s[i+1:]
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "sha256/"), "sha256:")
	h := strings.NewReplacer(":", "", " ", "").Replace(s)
	if len(h) == 64 {
		if b, err := hex.DecodeString(h); err == nil {
			return b, nil
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == sha256.Size {
			return b, nil
		}
	}
	return nil, fmt.Errorf("rpc: pin %q is neither 64 hex digits nor base64 of 32 bytes", pin)
}

// verifyPins checks the leaf certificate the server presented (which the
// handshake proved it holds the key of) against the pins, by the digest of
// the whole certificate or of its public key. Only the leaf counts: other
// certificates of an unverified chain prove nothing.
func verifyPins(pins [][]byte) func(tls.ConnectionState) error {
	return func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) == 0 {
			return fmt.Errorf("%w: the server sent no certificate", ErrPinMismatch)
		}
		leaf := cs.PeerCertificates[0]
		certSum := sha256.Sum256(leaf.Raw)
		keySum := sha256.Sum256(leaf.RawSubjectPublicKeyInfo)
		for _, p := range pins {
			if bytes.Equal(p, certSum[:]) || bytes.Equal(p, keySum[:]) {
				return nil
			}
		}
		return fmt.Errorf("%w: the server offered certificate %s, public key %s",
			ErrPinMismatch, colonHex(certSum[:]), base64.StdEncoding.EncodeToString(keySum[:]))
	}
}
