package campaigns

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// TaskState is where one call task stands.
type TaskState uint8

// Task states.
const (
	TaskQueued    TaskState = iota // waiting for its due time or a worker
	TaskDialing                    // an attempt is live (fenced by the conditional update)
	TaskDone                       // reached
	TaskStopped                    // closed without success (invalid, rejected, do-not-call, ...)
	TaskExhausted                  // out of attempts, handed to followup
	TaskCancelled                  // its campaign was cancelled
)

var taskStateNames = [...]string{"queued", "dialing", "done", "stopped", "exhausted", "cancelled"}

// String returns the state's lower-case name.
func (s TaskState) String() string {
	if int(s) < len(taskStateNames) {
		return taskStateNames[s]
	}
	return fmt.Sprintf("task_state(%d)", uint8(s))
}

// Task is one resident to call within one run of a campaign. It holds ids
// and the number; names and answers live in storage.
type Task struct {
	ID         int64
	CampaignID int64
	RunID      int64
	ResidentID int64
	Phone      string // E.164
	Due        time.Time
	State      TaskState
	Outcomes   []Outcome // outcomes of earlier attempts, oldest first
}

// Attempt is one INVITE for a task: exactly one row per INVITE.
type Attempt struct {
	ID     int64
	TaskID int64
	Token  string // the lease token it was dialed under
	Worker string
	Start  time.Time
}

// CallResult is what a Placer reports about one placed call.
type CallResult struct {
	Outcome   Outcome
	SIPStatus int
	Reason    string
	Answered  bool
	Start     time.Time // INVITE sent
	End       time.Time // call over: the retry delay counts from here
}

// Lease is a worker's claim on one task, handed out by the Queue.
type Lease struct {
	TaskID     int64
	CampaignID int64
	Token      string
	Expires    time.Time
}

// DueTask is a task id with its due time, as put on the queue.
type DueTask struct {
	TaskID int64
	Due    time.Time
}

// Errors shared with the adapters (wrap them).
var (
	ErrNotQueued = errors.New("task not queued") // BeginAttempt lost the conditional update
	ErrLeaseLost = errors.New("lease lost")      // renew/complete with a token no longer holding the lease
	ErrNotFound  = errors.New("not found")
)

// TaskStore is the part of storage the dispatcher needs.
type TaskStore interface {
	Task(ctx context.Context, id int64) (Task, error)
	Campaign(ctx context.Context, id int64) (Campaign, error)
	// BeginAttempt moves the task queued → dialing in one conditional update
	// and inserts the attempt row; it returns an error wrapping ErrNotQueued
	// if the task was not queued. This is the fence against double dialing.
	BeginAttempt(ctx context.Context, taskID int64, token, worker string, at time.Time) (Attempt, error)
	// FinishAttempt records the result and the task's next step in one transaction:
	// Retry → queued with Due=d.At; Done/Stop/Exhausted → final states.
	FinishAttempt(ctx context.Context, a Attempt, r CallResult, d Decision) error
	// FinishAttempt must be conditional on the attempt still being live
	// (dialing): once the recoverer interrupted it, a late finish returns an
	// error wrapping ErrLeaseLost and changes nothing.
	//
	// LiveAttempt returns the live (dialing) attempt of a task whose lease
	// expired, with the task, or an error wrapping ErrNotFound if the task is
	// not dialing under that token. The recoverer then finishes it as
	// interrupted through FinishAttempt.
	LiveAttempt(ctx context.Context, taskID int64, token string) (Attempt, Task, error)
	// Defer keeps a queued task queued with a later due time (a calling rule said not now).
	Defer(ctx context.Context, taskID int64, due time.Time, reason RuleReason) error
	// Close ends a queued task without dialing (a calling rule refused it).
	Close(ctx context.Context, taskID int64, reason RuleReason) error
}

// Handoff receives tasks that need a person: exhausted tasks go to followup
// for escalation, rejected numbers may be offered for the do-not-call list.
type Handoff interface {
	Exhausted(ctx context.Context, t Task, last Outcome) error
	OfferDoNotCall(ctx context.Context, t Task) error
}

// Placer places one call and runs the script over it (the robot).
type Placer interface {
	Place(ctx context.Context, c Campaign, t Task, a Attempt) (CallResult, error)
}

// Queue is the dispatch queue (implemented by campaigns/queue on Redis).
type Queue interface {
	Enqueuer
	Claim(ctx context.Context, worker string, max int) ([]Lease, error)
	Renew(ctx context.Context, l Lease) (Lease, error)
	// Release gives the task back, due at due.
	Release(ctx context.Context, l Lease, due time.Time) error
	// Complete drops the task from the queue.
	Complete(ctx context.Context, l Lease) error
	// Recover removes up to max expired leases and returns them, each exactly once.
	Recover(ctx context.Context, max int) ([]Lease, error)
}

// Enqueuer puts due tasks of a campaign on the queue.
type Enqueuer interface {
	Enqueue(ctx context.Context, campaignID int64, tasks []DueTask) error
}
