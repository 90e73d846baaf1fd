-- Time-ordered ids (RFC 9562 version 7) for rows that are listed by creation: Postgres 18
-- has uuidv7(), the servers this runs on may not.
CREATE FUNCTION app.uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE
AS $$
  SELECT encode(
    set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
      PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1),
    'hex')::uuid
$$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app.uuid_v7() TO sextortion_app;
