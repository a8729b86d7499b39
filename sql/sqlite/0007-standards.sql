-- Standards of care: opening hours, standards, checks (with photos) and
-- audits, routine or by a mystery shopper.

-- Spans of local time per weekday (0 = Monday), in minutes after midnight;
-- a span past midnight closes after 1440. No rows: open all day.
CREATE TABLE opening_hours (
	location_id INTEGER NOT NULL REFERENCES locations (id),
	weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
	opens INTEGER NOT NULL CHECK (opens BETWEEN 0 AND 1439),
	closes INTEGER NOT NULL CHECK (closes > opens AND closes <= opens + 1440),
	PRIMARY KEY (location_id, weekday, opens)
);

-- how long past due a check may run before the worker raises an alert
ALTER TABLE locations ADD COLUMN check_grace_minutes INTEGER NOT NULL DEFAULT 15
	CHECK (check_grace_minutes BETWEEN 0 AND 240);

CREATE TABLE standards (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	location_id INTEGER NOT NULL REFERENCES locations (id),
	touchpoint_id INTEGER NOT NULL REFERENCES touchpoints (id),
	text TEXT NOT NULL,
	-- 0: audits only; 1-720 minutes; or whole days up to four weeks
	frequency_minutes INTEGER NOT NULL CHECK (frequency_minutes = 0
		OR frequency_minutes BETWEEN 1 AND 720
		OR (frequency_minutes % 1440 = 0 AND frequency_minutes BETWEEN 1440 AND 40320)),
	deal_breaker INTEGER NOT NULL DEFAULT 0 CHECK (deal_breaker IN (0, 1)),
	owner_role TEXT NOT NULL DEFAULT 'host'
		CHECK (owner_role IN ('owner', 'manager', 'host', 'kitchen')),
	category TEXT NOT NULL CHECK (category IN ('order_missing', 'order_late', 'order_wrong',
		'quality', 'cleanliness', 'staff', 'billing', 'other')),
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	-- the due time the worker last raised a check_overdue alert for; NULL
	-- once that alert cleared
	overdue_due_at INTEGER
);
CREATE INDEX standards_location ON standards (location_id, active);

CREATE TABLE audits (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	location_id INTEGER NOT NULL REFERENCES locations (id),
	kind TEXT NOT NULL CHECK (kind IN ('routine', 'mystery')),
	-- a mystery shopper's link: only the token's hash is kept
	token_hash TEXT UNIQUE,
	-- the manager's, and a mystery shopper's own
	note TEXT,
	shopper_note TEXT,
	created_by_staff_id INTEGER REFERENCES staff (id),
	created_by_token_id INTEGER REFERENCES api_tokens (id),
	created_at INTEGER NOT NULL,
	expires_at INTEGER,
	submitted_at INTEGER,
	score INTEGER CHECK (score BETWEEN 0 AND 100),
	passed INTEGER,
	failed INTEGER,
	na INTEGER,
	deal_breakers_failed INTEGER,
	CHECK ((kind = 'mystery') OR token_hash IS NULL)
);
CREATE INDEX audits_location ON audits (location_id, id DESC);

CREATE TABLE checks (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	standard_id INTEGER NOT NULL REFERENCES standards (id),
	location_id INTEGER NOT NULL REFERENCES locations (id),
	audit_id INTEGER REFERENCES audits (id),
	result TEXT NOT NULL CHECK (result IN ('pass', 'fail', 'na')),
	note TEXT,
	by_staff_id INTEGER REFERENCES staff (id),
	by_token_id INTEGER REFERENCES api_tokens (id),
	at INTEGER NOT NULL
);
CREATE INDEX checks_standard ON checks (standard_id, at DESC, id DESC);
CREATE INDEX checks_location ON checks (location_id, at DESC, id DESC);
CREATE INDEX checks_audit ON checks (audit_id);

-- Photos apart from their checks, so lists never read the bytes.
CREATE TABLE check_photos (
	check_id INTEGER PRIMARY KEY REFERENCES checks (id),
	type TEXT NOT NULL CHECK (type IN ('image/jpeg', 'image/png')),
	bytes BLOB NOT NULL
);
