namespace Legate.Extensions;

/// <summary>The one place where built-in extensions are registered; an extension = one folder + one line here.</summary>
internal static partial class BuiltinExtensions
{
    public static void RegisterAll(ExtensionRegistry registry)
    {
        _ = registry;
    }
}
