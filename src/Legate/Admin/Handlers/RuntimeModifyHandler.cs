namespace Legate.Admin.Handlers;

/// <summary>POST /runtime_modify?k=v&amp;...: sets admin-layer overrides (an empty value deletes one).</summary>
internal static class RuntimeModifyHandler
{
    public static AdminHandler Create(AdminContext context) =>
        AdminHandler.Sync("/runtime_modify",
            "Adds or modifies runtime values as passed in query parameters. To delete a previously added key, use an empty string as the value. Note that deletion only applies to overrides added via this endpoint; values loaded from disk can be modified via override but not deleted. E.g. ?key1=value1&key2=value2...",
            true, request =>
            {
                if (request.Query.Count == 0)
                {
                    return AdminResponse.Text("usage: /runtime_modify?key1=value1&key2=value2&keyN=valueN\n       or send the parameters as form values\nuse an empty value to remove a previously added override", 400);
                }
                if (!context.Runtime.Modify(request.Query))
                {
                    return AdminResponse.Text("No admin layer specified", 503);
                }
                return AdminResponse.Ok();
            });
}
