-- Orders and the live board: every order has a clock from the moment it is
-- placed. The guest's flags and pinned preferences are copied onto the
-- ticket when it is placed (the kitchen sees what the counter knew then),
-- and who acknowledged them on accepting is kept.

-- A location's order clocks, in minutes.
ALTER TABLE locations ADD COLUMN order_accept_minutes INTEGER NOT NULL DEFAULT 5
	CHECK (order_accept_minutes BETWEEN 1 AND 240);
ALTER TABLE locations ADD COLUMN order_promised_minutes INTEGER NOT NULL DEFAULT 15
	CHECK (order_promised_minutes BETWEEN 1 AND 1440);
ALTER TABLE locations ADD COLUMN order_serve_minutes INTEGER NOT NULL DEFAULT 5
	CHECK (order_serve_minutes BETWEEN 1 AND 240);
ALTER TABLE locations ADD COLUMN order_case_minutes INTEGER NOT NULL DEFAULT 10
	CHECK (order_case_minutes BETWEEN 1 AND 1440);

CREATE TABLE orders (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	location_id INTEGER NOT NULL REFERENCES locations (id),
	-- erasing a guest keeps the order, without the guest, for the figures
	guest_id INTEGER REFERENCES guests (id) ON DELETE SET NULL,
	visit_id INTEGER REFERENCES visits (id) ON DELETE SET NULL,
	status TEXT NOT NULL DEFAULT 'placed'
		CHECK (status IN ('placed', 'accepted', 'ready', 'served', 'cancelled')),
	-- the guest as the counter knew them when the order was placed:
	-- name, and JSON arrays of flags and pinned preferences
	guest_name TEXT,
	flags TEXT NOT NULL DEFAULT '[]',
	preferences TEXT NOT NULL DEFAULT '[]',
	has_flags INTEGER NOT NULL DEFAULT 0,
	special_requests TEXT,
	placed_at INTEGER NOT NULL,
	placed_by_staff_id INTEGER REFERENCES staff (id),
	placed_by_token_id INTEGER REFERENCES api_tokens (id),
	accept_by INTEGER NOT NULL,
	promised_at INTEGER NOT NULL,
	-- the location's serve and case clocks when the order was placed, in
	-- minutes: an order keeps the deadlines it was given
	serve_minutes INTEGER NOT NULL,
	case_minutes INTEGER NOT NULL,
	serve_by INTEGER,
	-- the clock running now; NULL once served or cancelled
	due_at INTEGER,
	-- when an open order still open at this time gets a recovery case
	case_at INTEGER,
	late_at INTEGER,
	late_clock TEXT CHECK (late_clock IN ('accept', 'ready', 'serve')),
	accepted_at INTEGER, accepted_by_staff_id INTEGER REFERENCES staff (id),
	accepted_by_token_id INTEGER REFERENCES api_tokens (id),
	ready_at INTEGER, ready_by_staff_id INTEGER REFERENCES staff (id),
	ready_by_token_id INTEGER REFERENCES api_tokens (id),
	served_at INTEGER, served_by_staff_id INTEGER REFERENCES staff (id),
	served_by_token_id INTEGER REFERENCES api_tokens (id),
	cancelled_at INTEGER, cancelled_by_staff_id INTEGER REFERENCES staff (id),
	cancelled_by_token_id INTEGER REFERENCES api_tokens (id),
	cancel_reason TEXT,
	ack_at INTEGER, ack_staff_id INTEGER REFERENCES staff (id),
	ack_token_id INTEGER REFERENCES api_tokens (id),
	case_id INTEGER REFERENCES cases (id),
	updated_at INTEGER NOT NULL
);
-- The board: a location's open orders, oldest first.
CREATE INDEX orders_board ON orders (location_id, status, placed_at, id);
CREATE INDEX orders_placed ON orders (location_id, placed_at DESC, id DESC);
CREATE INDEX orders_guest ON orders (guest_id, status, placed_at);
-- The worker's scans: open orders whose clock ran out, and those due a case.
CREATE INDEX orders_due ON orders (due_at) WHERE late_at IS NULL;
CREATE INDEX orders_case ON orders (case_at) WHERE case_id IS NULL;

CREATE TABLE order_items (
	order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	name TEXT NOT NULL,
	quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 99),
	-- a JSON array of strings
	modifiers TEXT NOT NULL DEFAULT '[]',
	note TEXT,
	PRIMARY KEY (order_id, position)
);

-- The live stream replays a location's events after a client's last one.
CREATE INDEX events_location ON events (location_id, id);
