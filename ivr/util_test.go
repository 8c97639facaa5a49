package ivr

import (
	"errors"
	"time"
)

const time1s = time.Second

func asDiagnostics(err error, ds *Diagnostics) bool { return errors.As(err, ds) }
