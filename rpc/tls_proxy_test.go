package rpc

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TLS options hold through an HTTPS CONNECT proxy; the test certificates
// and the proxy are shared with tls_host_test.go.

// selfSignedCert makes a certificate for names, as a TLS server would
// present it.
func selfSignedCert(t *testing.T, cn string, names ...string) (tls.Certificate, *x509.Certificate) {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true,
		DNSNames: names,
	}
	key, der, cert := makeCert(t, tmpl, nil, nil)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, cert
}

// connectProxy is an HTTPS proxy on loopback that answers CONNECT. With
// terminate set, it ends the tunnel's TLS itself with its own certificate
// and reads what the client sends (leaked counts the requests it read).
type connectProxy struct {
	ln        net.Listener
	terminate bool
	cert      tls.Certificate
	upstream  string // if set, where every tunnel goes, whatever host it names
	tunnels   atomic.Int32
	leaked    atomic.Int32
	wg        sync.WaitGroup
	mu        sync.Mutex
	conns     []net.Conn
}

func startConnectProxy(t *testing.T, cert tls.Certificate, terminate bool) *connectProxy {
	t.Helper()
	return startConnectProxyTo(t, cert, terminate, "")
}

// startConnectProxyTo starts a proxy whose tunnels all go to upstream
// (when not empty), whatever host they name.
func startConnectProxyTo(t *testing.T, cert tls.Certificate, terminate bool, upstream string) *connectProxy {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	p := &connectProxy{ln: ln, terminate: terminate, cert: cert, upstream: upstream}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			p.conns = append(p.conns, conn)
			p.mu.Unlock()
			p.wg.Add(1)
			go func() {
				defer p.wg.Done()
				p.serve(conn)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		p.mu.Lock()
		for _, c := range p.conns { // kept alive by the clients' pools
			c.Close()
		}
		p.mu.Unlock()
		p.wg.Wait()
	})
	return p
}

func (p *connectProxy) serve(conn net.Conn) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	req, err := http.ReadRequest(bufio.NewReader(conn))
	if err != nil || req.Method != http.MethodConnect {
		return
	}
	if p.terminate {
		io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n")
		tc := tls.Server(conn, &tls.Config{Certificates: []tls.Certificate{p.cert}})
		if _, err := http.ReadRequest(bufio.NewReader(tc)); err == nil {
			p.leaked.Add(1)
		}
		return
	}
	to := req.Host
	if p.upstream != "" {
		to = p.upstream
	}
	up, err := net.Dial("tcp", to)
	if err != nil {
		io.WriteString(conn, "HTTP/1.1 502 Bad Gateway\r\n\r\n")
		return
	}
	defer up.Close()
	p.tunnels.Add(1)
	io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n")
	done := make(chan struct{}, 2)
	p.mu.Lock()
	p.conns = append(p.conns, up)
	p.mu.Unlock()
	go func() { io.Copy(up, conn); done <- struct{}{} }()
	go func() { io.Copy(conn, up); done <- struct{}{} }()
	<-done
}

// TestTLSOptionsThroughAnHTTPSProxy: behind an https:// proxy, the Plesk
// pin alone works (it is checked against Plesk, never against the proxy),
// the proxy is verified by the transport's own trust, and a proxy that
// ends the tunnel's TLS with its own certificate is refused before it
// reads anything.
func TestTLSOptionsThroughAnHTTPSProxy(t *testing.T) {
	plesk, pleskCert, hits := selfSignedServer(t)
	proxyTLS, proxyCert := selfSignedCert(t, "proxy", "localhost")
	proxyPool := x509.NewCertPool()
	proxyPool.AddCert(proxyCert)

	client := func(p *connectProxy, opts ...Option) *Client {
		u := &url.URL{Scheme: "https", Host: net.JoinHostPort("localhost", fmt.Sprint(p.ln.Addr().(*net.TCPAddr).Port))}
		hc := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(u), TLSClientConfig: &tls.Config{RootCAs: proxyPool}}}
		return mustClient(t, plesk.URL, append([]Option{WithSecretKey(testKey), WithHTTPClient(hc)}, opts...)...)
	}

	tunnel := startConnectProxy(t, proxyTLS, false)
	for _, opt := range []Option{WithPinnedSHA256(PublicKeyPin(pleskCert)), WithRootCAs(func() *x509.CertPool {
		p := x509.NewCertPool()
		p.AddCert(pleskCert)
		return p
	}())} {
		before := hits.Load()
		if _, err := Do[item](context.Background(), client(tunnel, opt), "", getOp()); err != nil {
			t.Fatalf("through the tunnel: %v", err)
		}
		if hits.Load() != before+1 {
			t.Error("the request did not reach Plesk")
		}
	}
	if tunnel.tunnels.Load() == 0 {
		t.Error("the requests did not go through the proxy")
	}

	// The proxy's trust is the transport's: without its CA, refused.
	noTrust := mustClient(t, plesk.URL, WithSecretKey(testKey), WithPinnedSHA256(PublicKeyPin(pleskCert)),
		WithHTTPClient(&http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(&url.URL{Scheme: "https",
			Host: net.JoinHostPort("localhost", fmt.Sprint(tunnel.ln.Addr().(*net.TCPAddr).Port))})}}))
	if _, err := Do[item](context.Background(), noTrust, "", getOp()); !errors.Is(err, ErrConnection) {
		t.Errorf("a proxy the transport does not trust: err = %v", err)
	}

	mitm := startConnectProxy(t, proxyTLS, true)
	_, err := Do[item](context.Background(), client(mitm, WithPinnedSHA256(PublicKeyPin(pleskCert))), "", getOp())
	if !errors.Is(err, ErrPinMismatch) {
		t.Errorf("a TLS-terminating proxy: err = %v, want ErrPinMismatch", err)
	}
	if n := mitm.leaked.Load(); n != 0 {
		t.Errorf("the terminating proxy read %d requests", n)
	}
}
