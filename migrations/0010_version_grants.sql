GRANT UPDATE (version) ON units, districts, stations, identity_providers, integration_clients TO sextortion_app;
