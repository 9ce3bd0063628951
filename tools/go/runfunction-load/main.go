// Command runfunction-load sends one RunFunctionRequest to a composition function over gRPC, the way
// Crossplane does (grpc-go and the fn/v1 protobuf types), and reports latency and throughput.
//
// Usage: runfunction-load -target 127.0.0.1:9443 -request req.json -n 2000 -concurrency 1
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/encoding/protojson"

	fnv1 "github.com/crossplane/crossplane/v2/proto/fn/v1"
)

type report struct {
	Requests    int     `json:"requests"`
	Concurrency int     `json:"concurrency"`
	P50Ms       float64 `json:"p50Ms"`
	P99Ms       float64 `json:"p99Ms"`
	PerSecond   float64 `json:"perSecond"`
}

func main() {
	target := flag.String("target", "127.0.0.1:9443", "function address")
	requestFile := flag.String("request", "", "RunFunctionRequest as protobuf JSON")
	n := flag.Int("n", 2000, "requests to measure")
	warmup := flag.Int("warmup", 200, "requests to send before measuring")
	concurrency := flag.Int("concurrency", 1, "requests in flight at once")
	flag.Parse()

	if err := run(*target, *requestFile, *n, *warmup, *concurrency); err != nil {
		fmt.Fprintln(os.Stderr, "runfunction-load:", err)
		os.Exit(1)
	}
}

func run(target, requestFile string, n, warmup, concurrency int) error {
	raw, err := os.ReadFile(requestFile)
	if err != nil {
		return fmt.Errorf("cannot read request: %w", err)
	}
	req := &fnv1.RunFunctionRequest{}
	if err := protojson.Unmarshal(raw, req); err != nil {
		return fmt.Errorf("cannot parse request: %w", err)
	}
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return fmt.Errorf("cannot dial %s: %w", target, err)
	}
	defer conn.Close() //nolint:errcheck // closing a client connection at exit
	client := fnv1.NewFunctionRunnerServiceClient(conn)

	call := func() (time.Duration, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		start := time.Now()
		rsp, err := client.RunFunction(ctx, req)
		elapsed := time.Since(start)
		if err != nil {
			return 0, err
		}
		for _, r := range rsp.GetResults() {
			if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
				return 0, fmt.Errorf("fatal result: %s", r.GetMessage())
			}
		}
		return elapsed, nil
	}

	for i := 0; i < warmup; i++ {
		if _, err := call(); err != nil {
			return err
		}
	}

	samples := make([]time.Duration, n)
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				d, err := call()
				if err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				samples[i] = d
			}
		}()
	}
	wg.Wait()
	total := time.Since(start)
	if firstErr != nil {
		return firstErr
	}

	sort.Slice(samples, func(i, j int) bool { return samples[i] < samples[j] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return json.NewEncoder(os.Stdout).Encode(report{
		Requests:    n,
		Concurrency: concurrency,
		P50Ms:       ms(samples[n*50/100]),
		P99Ms:       ms(samples[n*99/100]),
		PerSecond:   float64(n) / total.Seconds(),
	})
}
