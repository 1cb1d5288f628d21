namespace Legate.Admin;

/// <summary>
/// One admin endpoint: the exact path it answers, the /help text, whether it changes server state
/// (then only POST is accepted) and its parameters.
/// </summary>
public sealed record AdminHandler(
    string Prefix,
    string HelpText,
    bool MutatesState,
    Func<AdminRequest, ValueTask<AdminResponse>> Handle,
    IReadOnlyList<AdminParam>? Params = null)
{
    public static AdminHandler Sync(string prefix, string help, bool mutates, Func<AdminRequest, AdminResponse> handle, IReadOnlyList<AdminParam>? parameters = null) =>
        new(prefix, help, mutates, r => ValueTask.FromResult(handle(r)), parameters);
}
