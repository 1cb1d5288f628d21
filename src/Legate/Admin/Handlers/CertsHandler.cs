namespace Legate.Admin.Handlers;

/// <summary>GET /certs: the certificates in use. Legate does not load TLS certificates yet, so the list is empty.</summary>
internal static class CertsHandler
{
    public static AdminHandler Create() =>
        AdminHandler.Sync("/certs", "print certs on machine", false,
            _ => AdminResponse.Json(Legate.Config.ConfigJson.Format(new Envoy.Admin.V3.Certificates())));
}
