-- Lookups made before the caller is known: an identity provider by issuer, a client by client id,
-- and where the station app signs an officer in.
-- The one current definition: applied by the migrate step whenever this file changes.

-- The columns it returns changed (audience_claim, role_map), which CREATE OR REPLACE cannot do.
DROP FUNCTION IF EXISTS app.identity_provider(text);

CREATE FUNCTION app.identity_provider(p_issuer text)
 RETURNS TABLE(unit_code text, audience text, jwks_uri text, jwks jsonb, algorithms text[], roles_claim text, district_claim text, station_claim text,
               accept_id_tokens boolean, audience_claim text, role_map jsonb)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
  SELECT u.code, p.audience, p.jwks_uri, p.jwks, p.algorithms, p.roles_claim, p.district_claim, p.station_claim, p.accept_id_tokens,
         p.audience_claim, p.role_map
    FROM public.identity_providers p JOIN public.units u ON u.id = p.unit_id
   WHERE p.issuer = p_issuer
$function$;

REVOKE ALL ON FUNCTION app.identity_provider(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.identity_provider(text) TO sextortion_app;

CREATE OR REPLACE FUNCTION app.client_credentials(p_client_id text)
 RETURNS TABLE(secret_hash text, previous_secret_hash text, roles text[], scopes text[], unit_code text, district_code text, station_code text, disabled boolean)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
  SELECT c.secret_hash, CASE WHEN c.previous_secret_expires_at > app.now() THEN c.previous_secret_hash END,
         c.roles, c.scopes, u.code, d.code, s.code, c.disabled_at IS NOT NULL
    FROM public.integration_clients c
    JOIN public.units u ON u.id = c.unit_id
    LEFT JOIN public.districts d ON d.id = c.district_id
    LEFT JOIN public.stations s ON s.id = c.station_id
   WHERE c.client_id = p_client_id
$function$;

REVOKE ALL ON FUNCTION app.client_credentials(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.client_credentials(text) TO sextortion_app;

CREATE OR REPLACE FUNCTION app.station_sign_in_options()
 RETURNS TABLE(unit_code text, unit_name text, issuer text, client_id text, scope text, resource text)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
  SELECT u.code, u.name, p.issuer, p.station_sign_in ->> 'clientId', p.station_sign_in ->> 'scope', p.station_sign_in ->> 'resource'
    FROM public.identity_providers p JOIN public.units u ON u.id = p.unit_id
   WHERE p.station_sign_in IS NOT NULL
$function$;

REVOKE ALL ON FUNCTION app.station_sign_in_options() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.station_sign_in_options() TO sextortion_app;
