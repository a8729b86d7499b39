-- Customer-base analytics: each location's model fits, and per guest what
-- they are expected to do and be worth (see docs/api.md, section 16).

-- One attempt at a fit; status 'insufficient' when the history was too
-- thin (the worker then waits a day before trying again).
CREATE TABLE btyd_fits (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	location_id INTEGER NOT NULL REFERENCES locations (id),
	status TEXT NOT NULL CHECK (status IN ('ok', 'insufficient')),
	model TEXT NOT NULL,
	-- the fit as the API shows it (parameters, likelihood, spend model)
	fit TEXT NOT NULL,
	guests INTEGER NOT NULL,
	repeat_guests INTEGER NOT NULL,
	fitted_at INTEGER NOT NULL
);
CREATE INDEX btyd_fits_location ON btyd_fits (location_id, fitted_at DESC, id DESC);

-- Scores of the location's last good fit; probabilities in millionths,
-- visits in thousandths, money in minor units of the location's currency.
CREATE TABLE guest_scores (
	location_id INTEGER NOT NULL REFERENCES locations (id),
	guest_id INTEGER NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
	fit_id INTEGER NOT NULL REFERENCES btyd_fits (id),
	model TEXT NOT NULL,
	visits INTEGER NOT NULL,
	first_visit_at INTEGER NOT NULL,
	last_visit_at INTEGER NOT NULL,
	p_alive_ppm INTEGER NOT NULL CHECK (p_alive_ppm BETWEEN 0 AND 1000000),
	expected_visits_milli INTEGER NOT NULL,
	expected_spend_cents INTEGER NOT NULL,
	clv_cents INTEGER NOT NULL,
	value_at_risk_cents INTEGER NOT NULL,
	fitted_at INTEGER NOT NULL,
	PRIMARY KEY (location_id, guest_id)
);
CREATE INDEX guest_scores_risk ON guest_scores (location_id, value_at_risk_cents DESC, guest_id);
CREATE INDEX guest_scores_guest ON guest_scores (guest_id);
