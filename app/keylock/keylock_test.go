package keylock

import (
	"sync"
	"testing"
	"time"
)

func TestLocksSerialiseOneKeyOnly(t *testing.T) {
	var l Locks
	unlockA := l.Lock("a")

	// Another key is free while "a" is held.
	done := make(chan struct{})
	go func() { l.Lock("b")(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal(`key "b" waited for key "a"`)
	}

	// The same key waits until it is released.
	var got sync.WaitGroup
	got.Add(1)
	acquired := make(chan struct{})
	go func() { defer got.Done(); l.Lock("a")(); close(acquired) }()
	select {
	case <-acquired:
		t.Fatal(`key "a" was taken twice`)
	case <-time.After(50 * time.Millisecond):
	}
	unlockA()
	got.Wait()
}
