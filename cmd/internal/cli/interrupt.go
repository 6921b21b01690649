package cli

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// Signals is the context cmd/imet runs Main with: SIGTERM ends the command
// (its step under way commits or rolls back), and so does SIGINT, except
// while a command has claimed it (claimInterrupts): the SQL prompt, where
// Ctrl-C stops the statement under way and the prompt goes on. stop
// restores the default handling.
func Signals(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	r := &interrupts{cancel: cancel}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		for {
			select {
			case s := <-ch:
				if s == os.Interrupt {
					r.fire()
				} else {
					cancel()
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	return context.WithValue(ctx, interruptKey{}, r), func() {
		signal.Stop(ch)
		cancel()
	}
}

type interruptKey struct{}

// interrupts routes SIGINT: to the command's claim while there is one,
// otherwise to the cancellation of the whole command.
type interrupts struct {
	mu     sync.Mutex
	cancel context.CancelFunc
	claim  func()
}

func (r *interrupts) fire() {
	r.mu.Lock()
	f := r.claim
	r.mu.Unlock()
	if f == nil {
		f = r.cancel
	}
	f()
}

// claimInterrupts makes SIGINT call f, instead of ending the command,
// until release is called. Without Signals (a test calling Main) there is
// nothing to claim.
func claimInterrupts(ctx context.Context, f func()) (release func()) {
	r, ok := ctx.Value(interruptKey{}).(*interrupts)
	if !ok {
		return func() {}
	}
	r.mu.Lock()
	old := r.claim
	r.claim = f
	r.mu.Unlock()
	return func() {
		r.mu.Lock()
		r.claim = old
		r.mu.Unlock()
	}
}

// statement is the SQL statement under way, which an interrupt stops.
type statement struct {
	mu     sync.Mutex
	cancel context.CancelFunc
}

// begin gives the context of a statement that interrupt cancels; end must
// be called when it is done.
func (s *statement) begin(ctx context.Context) (qctx context.Context, end func()) {
	qctx, cancel := context.WithCancel(ctx)
	s.mu.Lock()
	s.cancel = cancel
	s.mu.Unlock()
	return qctx, func() {
		s.mu.Lock()
		s.cancel = nil
		s.mu.Unlock()
		cancel()
	}
}

// interrupt stops the statement under way, if there is one.
func (s *statement) interrupt() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		s.cancel()
	}
}
