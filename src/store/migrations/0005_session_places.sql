-- 0005: each session's places taken, kept by every change to a booking in
-- the same transaction, so the seat check reads one row however many
-- bookings the session holds. A place is taken by a booking that is booked,
-- attended, partly attended or a no-show; priority_taken counts those of
-- the priority groups the reserved places are for [000 §2].
CREATE TABLE session_places (
  session_id TEXT PRIMARY KEY REFERENCES course_sessions (id),
  taken BIGINT NOT NULL,
  priority_taken BIGINT NOT NULL
);
INSERT INTO session_places (session_id, taken, priority_taken)
  SELECT session_id, COUNT(*), SUM(priority) FROM bookings
  WHERE status IN ('booked', 'attended', 'partly-attended', 'no-show')
  GROUP BY session_id;
