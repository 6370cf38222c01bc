// hello: a small HTTP service, the example berth inspects, checks and deploys.
//
// Built with -ldflags "-X main.version=V" it says which release it is. -X main.mode=M makes a
// deliberately broken release for berth's tests and demo: "exit" (exits at start), "unhealthy"
// (/healthz answers 503), "crashloop" (serves, then dies after 3 s), "ignore-term" (ignores
// SIGTERM, so stopping it takes until systemd's TimeoutStopSec).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

var (
	version = "dev"
	mode    = ""
)

func main() {
	addr := flag.String("listen", ":8080", "listen address")
	flag.Parse()
	log.Printf("hello %s starting (mode %q) on %s", version, mode, *addr)
	if mode == "exit" {
		log.Fatal("exiting at start, as this release was built to")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		if mode == "unhealthy" {
			http.Error(w, "unhealthy, as this release was built to be", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("/version", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, version)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello from %s (%s)\n", version, time.Now().UTC().Format(time.RFC3339))
	})
	srv := &http.Server{Addr: *addr, Handler: mux}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if mode == "ignore-term" {
		signal.Ignore(syscall.SIGTERM)
	}
	go func() {
		if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
			log.Fatal(err)
		}
	}()
	if mode == "crashloop" {
		go func() {
			time.Sleep(3 * time.Second)
			log.Fatal("crashing 3 s after the start, as this release was built to")
		}()
	}
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		log.Printf("shutdown: %v", err)
	}
}
