package main

import (
	"io"
	"os"
	"time"

	"golang.org/x/term"
)

// Env is the outside world as commands see it.
type Env struct {
	Stdout, Stderr io.Writer // results to Stdout; progress and logs to Stderr
	Stdin          io.Reader
	Getenv         func(string) string
	Now            func() time.Time
	// Terminal reports whether w is an interactive terminal; it decides
	// colour, progress bars and the default diff layout.
	Terminal func(w io.Writer) bool
	// Width is the terminal width in columns; 0 when unknown.
	Width func() int
}

// processEnv fills an Env from the process.
func processEnv() *Env {
	return &Env{
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Stdin:  os.Stdin,
		Getenv: os.Getenv,
		Now:    time.Now,
		Terminal: func(w io.Writer) bool {
			f, ok := w.(*os.File)
			return ok && term.IsTerminal(int(f.Fd()))
		},
		Width: func() int {
			w, _, err := term.GetSize(int(os.Stdout.Fd()))
			if err != nil {
				return 0
			}
			return w
		},
	}
}

func (e *Env) now() time.Time {
	if e.Now == nil {
		return time.Now()
	}
	return e.Now()
}

func (e *Env) getenv(k string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(k)
}

func (e *Env) isTerminal(w io.Writer) bool {
	return e.Terminal != nil && e.Terminal(w)
}

func (e *Env) width() int {
	if e.Width == nil {
		return 0
	}
	return e.Width()
}
