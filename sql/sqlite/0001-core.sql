-- Core schema: locations, staff and their access, guests, visits and the
-- event log. Times are integer seconds since the Unix epoch, UTC.
-- Money is integer minor units of the location's currency.

CREATE TABLE locations (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	timezone TEXT NOT NULL,
	currency TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX locations_name ON locations (lower(name));

CREATE TABLE staff (
	id INTEGER PRIMARY KEY,
	email TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'host', 'kitchen')),
	password_hash TEXT NOT NULL,
	disabled INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
-- Emails are stored lower-case; this also keeps sign-in case-insensitive.
CREATE UNIQUE INDEX staff_email ON staff (lower(email));

CREATE TABLE staff_locations (
	staff_id INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
	location_id INTEGER NOT NULL REFERENCES locations (id),
	PRIMARY KEY (staff_id, location_id)
);

-- Only hashes of session and API tokens are stored.
CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	staff_id INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_staff ON sessions (staff_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE api_tokens (
	id INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'host', 'kitchen')),
	location_id INTEGER REFERENCES locations (id),
	created_at INTEGER NOT NULL,
	revoked_at INTEGER
);

-- visit_count, last_visit_at and search_rank are kept up to date by the
-- statements that record visits, so search and cards read one row.
CREATE TABLE guests (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	phone TEXT,
	email TEXT,
	card TEXT,
	visit_count INTEGER NOT NULL DEFAULT 0,
	last_visit_at INTEGER,
	search_rank INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX guests_card ON guests (card) WHERE card IS NOT NULL;

-- Search keys: one row per folded word of the name, the phone's digits, the
-- email and the card. p2 and p3 are the first two and three characters, so
-- a short prefix walks its bucket already in rank order.
CREATE TABLE guest_terms (
	term TEXT NOT NULL,
	p2 TEXT NOT NULL,
	p3 TEXT NOT NULL,
	rank INTEGER NOT NULL,
	guest_id INTEGER NOT NULL REFERENCES guests (id) ON DELETE CASCADE
);
CREATE INDEX guest_terms_p2 ON guest_terms (p2, rank DESC, guest_id DESC);
CREATE INDEX guest_terms_p3 ON guest_terms (p3, rank DESC, guest_id DESC, term);
CREATE INDEX guest_terms_term ON guest_terms (term, rank, guest_id);
CREATE INDEX guest_terms_guest ON guest_terms (guest_id, term);

CREATE TABLE visits (
	id INTEGER PRIMARY KEY,
	guest_id INTEGER NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
	location_id INTEGER NOT NULL REFERENCES locations (id),
	at INTEGER NOT NULL,
	party_size INTEGER,
	spend_cents INTEGER,
	staff_id INTEGER REFERENCES staff (id),
	created_at INTEGER NOT NULL
);
CREATE INDEX visits_guest ON visits (guest_id, at DESC);
CREATE INDEX visits_location ON visits (location_id, at);

-- Every domain change writes one row here, in the same transaction.
CREATE TABLE events (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	type TEXT NOT NULL,
	actor_staff_id INTEGER REFERENCES staff (id),
	actor_token_id INTEGER REFERENCES api_tokens (id),
	location_id INTEGER REFERENCES locations (id),
	guest_id INTEGER REFERENCES guests (id) ON DELETE CASCADE,
	subject_id INTEGER,
	data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_guest ON events (guest_id, id DESC) WHERE guest_id IS NOT NULL;
