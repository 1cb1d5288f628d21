using System.Collections;
using System.Text.RegularExpressions;
using Envoy.Admin.V3;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Legate.Admin.ConfigDump;

namespace Legate.Admin.Handlers;

/// <summary>GET /config_dump: envoy.admin.v3.ConfigDump with ?resource=, ?mask=, ?name_regex= and ?include_eds.</summary>
internal static class ConfigDumpHandler
{
    public static AdminHandler Create(AdminContext context) =>
        AdminHandler.Sync("/config_dump", "dump current Envoy configs (experimental)", false, request => Handle(context, request),
        [
            new("resource", "The resource to dump"),
            new("mask", "The mask to apply. When both resource and mask are specified, the mask is applied to every element in the desired repeated field so that only a subset of fields are returned. The mask is parsed as a ProtobufWkt::FieldMask"),
            new("name_regex", "Dump only the currently loaded configurations whose names match the specified regex. Can be used with both resource and mask query parameters."),
            new("include_eds", "Dump currently loaded configuration including EDS. See the response definition for more information"),
        ]);

    private static AdminResponse Handle(AdminContext context, AdminRequest request)
    {
        Regex? names = null;
        if (request.Get("name_regex") is { Length: > 0 } pattern)
        {
            try
            {
                names = new Regex("^(?:" + pattern + ")$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                return AdminResponse.Text("INVALID_ARGUMENT: Error while parsing name_regex from " + pattern + ": " + ex.Message, 400);
            }
        }
        var mask = request.Get("mask") is { Length: > 0 } m ? ConfigDumpMask.Parse(m) : null;
        var dumps = new ConfigDumpBuilder(context, names).BuildAll(request.Has("include_eds"));
        var result = new Envoy.Admin.V3.ConfigDump();
        var resource = request.Get("resource");
        var error = resource is not null ? AddResource(result, dumps, resource, mask) : AddAll(result, dumps, mask, request.Get("mask"));
        if (error is not null)
        {
            return error;
        }
        SecretRedactor.Redact(result);
        return AdminResponse.Json(AdminJson.Format(result));
    }

    private static AdminResponse? AddAll(Envoy.Admin.V3.ConfigDump result, List<IMessage> dumps, IReadOnlyList<string>? mask, string? maskText)
    {
        foreach (var dump in dumps)
        {
            var message = dump;
            if (mask is not null)
            {
                // A mask that does not fit this dump's type skips the dump, as in Envoy.
                if (ConfigDumpMask.Trim(dump, mask) is not { } trimmed)
                {
                    continue;
                }
                message = trimmed;
            }
            result.Configs.Add(Any.Pack(message));
        }
        if (result.Configs.Count == 0 && mask is not null)
        {
            return AdminResponse.Text("FieldMask " + maskText + " could not be successfully applied to any configs.", 400);
        }
        return null;
    }

    private static AdminResponse? AddResource(Envoy.Admin.V3.ConfigDump result, List<IMessage> dumps, string resource, IReadOnlyList<string>? mask)
    {
        foreach (var dump in dumps)
        {
            var field = dump.Descriptor.FindFieldByName(resource);
            if (field is null)
            {
                continue;
            }
            if (!field.IsRepeated || field.FieldType != FieldType.Message)
            {
                return AdminResponse.Text(field.Name + " is not a repeated field. Use ?mask=" + field.Name + " to get only this field", 400);
            }
            foreach (IMessage element in (IList)field.Accessor.GetValue(dump))
            {
                var message = element;
                if (mask is not null)
                {
                    if (ConfigDumpMask.TrimResource(element, mask) is not { } trimmed)
                    {
                        return AdminResponse.Text("FieldMask paths: \"" + string.Join("\" paths: \"", mask) + "\" could not be successfully used.", 400);
                    }
                    message = trimmed;
                }
                result.Configs.Add(Any.Pack(message));
            }
            return null;
        }
        return AdminResponse.Text(resource + " not found in config dump", 404);
    }
}
