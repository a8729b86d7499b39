-- Service recovery: a case for every failure, with an owner, a due time,
-- the actions taken, the outcome staff recorded and the outcome measured
-- (did the guest come back within the window after resolution?). Alerts
-- are raised by the background worker and cleared when their cause goes.

-- How long a location gives itself to deal with a case, by severity.
ALTER TABLE locations ADD COLUMN case_due_minutes_low INTEGER NOT NULL DEFAULT 4320
	CHECK (case_due_minutes_low BETWEEN 5 AND 43200);
ALTER TABLE locations ADD COLUMN case_due_minutes_medium INTEGER NOT NULL DEFAULT 1440
	CHECK (case_due_minutes_medium BETWEEN 5 AND 43200);
ALTER TABLE locations ADD COLUMN case_due_minutes_high INTEGER NOT NULL DEFAULT 240
	CHECK (case_due_minutes_high BETWEEN 5 AND 43200);

CREATE TABLE cases (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	location_id INTEGER NOT NULL REFERENCES locations (id),
	-- erasing a guest keeps the case, without the guest, for the figures
	guest_id INTEGER REFERENCES guests (id) ON DELETE SET NULL,
	source TEXT NOT NULL CHECK (source IN ('staff', 'feedback', 'order', 'check')),
	-- the feedback, order or check that failed; staff reports have none
	source_id INTEGER CHECK ((source = 'staff') = (source_id IS NULL)),
	category TEXT NOT NULL CHECK (category IN ('order_missing', 'order_late', 'order_wrong',
		'quality', 'cleanliness', 'staff', 'billing', 'other')),
	severity TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
	summary TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'open'
		CHECK (status IN ('open', 'in_progress', 'resolved', 'closed')),
	owner_staff_id INTEGER REFERENCES staff (id),
	opened_by_staff_id INTEGER REFERENCES staff (id),
	opened_by_token_id INTEGER REFERENCES api_tokens (id),
	opened_at INTEGER NOT NULL,
	due_at INTEGER NOT NULL,
	-- set by the worker when due_at passes while the case is open or in
	-- progress; cleared on resolution, reopening or a later due time
	overdue_at INTEGER,
	-- whether the case ever went past its due time before resolution
	missed_due INTEGER NOT NULL DEFAULT 0,
	first_action_at INTEGER,
	resolved_at INTEGER,
	closed_at INTEGER,
	outcome TEXT CHECK (outcome IN ('recovered', 'not_recovered', 'unknown')),
	-- pending until the guest visits again (returned) or the window ends
	measured TEXT CHECK (measured IN ('pending', 'returned', 'not_returned')),
	returned_at INTEGER,
	comp_cents INTEGER NOT NULL DEFAULT 0,
	refund_cents INTEGER NOT NULL DEFAULT 0,
	updated_at INTEGER NOT NULL
);
-- One failure opens one case (NULLs, the staff reports, never conflict).
CREATE UNIQUE INDEX cases_source ON cases (source, source_id);
CREATE INDEX cases_queue ON cases (location_id, status, due_at, id);
CREATE INDEX cases_owner ON cases (owner_staff_id, status, due_at, id);
CREATE INDEX cases_guest ON cases (guest_id, opened_at DESC, id DESC);
CREATE INDEX cases_opened ON cases (location_id, opened_at DESC, id DESC);
CREATE INDEX cases_due ON cases (status, due_at);
CREATE INDEX cases_measuring ON cases (measured, resolved_at);

CREATE TABLE case_actions (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('apology', 'comp', 'refund', 'follow_up_call',
		'follow_up_message', 'note')),
	text TEXT NOT NULL DEFAULT '',
	-- comps and refunds carry their value, in the location's currency
	value_cents INTEGER CHECK ((kind IN ('comp', 'refund')) = (value_cents IS NOT NULL)
		AND (value_cents IS NULL OR value_cents > 0)),
	staff_id INTEGER REFERENCES staff (id),
	token_id INTEGER REFERENCES api_tokens (id),
	at INTEGER NOT NULL
);
CREATE INDEX case_actions_case ON case_actions (case_id, id);

-- Open alerts have no cleared_at. kind says what raised it; subject_type
-- and subject_id name what it is about.
CREATE TABLE alerts (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	location_id INTEGER NOT NULL REFERENCES locations (id),
	kind TEXT NOT NULL,
	subject_type TEXT NOT NULL,
	subject_id INTEGER NOT NULL,
	message TEXT NOT NULL,
	raised_at INTEGER NOT NULL,
	cleared_at INTEGER
);
CREATE INDEX alerts_open ON alerts (cleared_at, location_id, id DESC);
CREATE INDEX alerts_subject ON alerts (subject_type, subject_id, cleared_at);

-- A case's timeline reads its events by subject.
CREATE INDEX events_subject ON events (subject_id, type);
