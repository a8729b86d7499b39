-- Shop your business: touchpoints, survey links, feedback with its
-- analysis (sentiment, themes), and kudos for staff named in praise.

-- The customer journey of a location, in order. Every location starts with
-- the same seven; guests rate them 1-5 in surveys.
CREATE TABLE touchpoints (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	location_id INTEGER NOT NULL REFERENCES locations (id),
	key TEXT NOT NULL,
	name TEXT NOT NULL,
	position INTEGER NOT NULL,
	active INTEGER NOT NULL DEFAULT 1,
	UNIQUE (location_id, key)
);
CREATE TRIGGER locations_touchpoints AFTER INSERT ON locations BEGIN
	INSERT INTO touchpoints (location_id, key, name, position) VALUES
		(NEW.id, 'entrance', 'Entrance', 1), (NEW.id, 'counter', 'Counter', 2),
		(NEW.id, 'table', 'Table', 3), (NEW.id, 'restroom', 'Restroom', 4),
		(NEW.id, 'payment', 'Payment', 5), (NEW.id, 'phone', 'Phone', 6),
		(NEW.id, 'online', 'Online', 7);
END;
INSERT INTO touchpoints (location_id, key, name, position)
	SELECT l.id, t.key, t.name, t.position FROM locations l, (
		SELECT 'entrance' AS key, 'Entrance' AS name, 1 AS position
		UNION ALL SELECT 'counter', 'Counter', 2 UNION ALL SELECT 'table', 'Table', 3
		UNION ALL SELECT 'restroom', 'Restroom', 4 UNION ALL SELECT 'payment', 'Payment', 5
		UNION ALL SELECT 'phone', 'Phone', 6 UNION ALL SELECT 'online', 'Online', 7) t;

-- Survey rules per location.
ALTER TABLE locations ADD COLUMN survey_expiry_days INTEGER NOT NULL DEFAULT 14
	CHECK (survey_expiry_days BETWEEN 1 AND 365);
ALTER TABLE locations ADD COLUMN survey_gap_days INTEGER NOT NULL DEFAULT 30
	CHECK (survey_gap_days BETWEEN 0 AND 365);
ALTER TABLE locations ADD COLUMN feedback_case_hours INTEGER NOT NULL DEFAULT 24
	CHECK (feedback_case_hours BETWEEN 1 AND 720);
-- whether recording a visit makes its survey link (for the receipt)
ALTER TABLE locations ADD COLUMN survey_after_visit INTEGER NOT NULL DEFAULT 0
	CHECK (survey_after_visit IN (0, 1));

-- A survey link: only the token's hash is kept. One response per link, one
-- link per visit or order.
CREATE TABLE surveys (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	token_hash TEXT NOT NULL UNIQUE,
	location_id INTEGER NOT NULL REFERENCES locations (id),
	guest_id INTEGER REFERENCES guests (id) ON DELETE SET NULL,
	visit_id INTEGER UNIQUE REFERENCES visits (id) ON DELETE SET NULL,
	order_id INTEGER UNIQUE REFERENCES orders (id),
	created_by_staff_id INTEGER REFERENCES staff (id),
	created_by_token_id INTEGER REFERENCES api_tokens (id),
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	answered_at INTEGER,
	CHECK ((visit_id IS NULL) <> (order_id IS NULL) OR (visit_id IS NULL AND order_id IS NULL))
);
CREATE INDEX surveys_guest ON surveys (guest_id, location_id, created_at);

CREATE TABLE feedback (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	location_id INTEGER NOT NULL REFERENCES locations (id),
	guest_id INTEGER REFERENCES guests (id) ON DELETE SET NULL,
	survey_id INTEGER UNIQUE REFERENCES surveys (id),
	source TEXT NOT NULL CHECK (source IN ('survey', 'staff')),
	nps INTEGER CHECK (nps BETWEEN 0 AND 10),
	comment TEXT,
	-- the comment's analysis, when there is a comment
	sentiment REAL CHECK (sentiment BETWEEN -1 AND 1),
	label TEXT CHECK (label IN ('positive', 'negative', 'neutral')),
	recorded_by_staff_id INTEGER REFERENCES staff (id),
	recorded_by_token_id INTEGER REFERENCES api_tokens (id),
	at INTEGER NOT NULL
);
CREATE INDEX feedback_location ON feedback (location_id, at DESC, id DESC);
CREATE INDEX feedback_guest ON feedback (guest_id, at DESC);

CREATE TABLE feedback_ratings (
	feedback_id INTEGER NOT NULL REFERENCES feedback (id) ON DELETE CASCADE,
	touchpoint_id INTEGER NOT NULL REFERENCES touchpoints (id),
	rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
	PRIMARY KEY (feedback_id, touchpoint_id)
);

CREATE TABLE feedback_themes (
	feedback_id INTEGER NOT NULL REFERENCES feedback (id) ON DELETE CASCADE,
	theme TEXT NOT NULL,
	sentiment REAL NOT NULL CHECK (sentiment BETWEEN -1 AND 1),
	PRIMARY KEY (feedback_id, theme)
);
CREATE INDEX feedback_themes_theme ON feedback_themes (theme, feedback_id);

-- Praise that names an employee.
CREATE TABLE kudos (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	feedback_id INTEGER NOT NULL REFERENCES feedback (id) ON DELETE CASCADE,
	staff_id INTEGER NOT NULL REFERENCES staff (id),
	location_id INTEGER NOT NULL REFERENCES locations (id),
	at INTEGER NOT NULL,
	UNIQUE (feedback_id, staff_id)
);
CREATE INDEX kudos_location ON kudos (location_id, staff_id, at DESC);
