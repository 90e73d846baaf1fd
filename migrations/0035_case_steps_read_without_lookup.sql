-- A step is read by whoever may read its case. Its unit, district and station follow the case,
-- so the current holder's caller is answered from the row itself; only a past holder's caller
-- (a station that held the case before a transfer) looks the case up. Before, every row looked the
-- case up: a station's due list at a million cases counted its pending steps one lookup at a time.
DROP POLICY case_steps_read ON case_steps;
--> statement-breakpoint
CREATE POLICY case_steps_read ON case_steps FOR SELECT TO sextortion_app
USING (unit_id = app.current_unit_id() AND (app.case_workable(unit_id, district_id, station_id) OR app.case_id_visible(case_id)));
