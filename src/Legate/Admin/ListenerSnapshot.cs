using Legate.Listeners;

namespace Legate.Admin;

/// <summary>The running listeners sorted by name, as the admin pages list them.</summary>
internal static class ListenerSnapshot
{
    public static List<ActiveListener> Sorted(AdminContext context)
    {
        var manager = context.Server.ListenerManager;
        List<ActiveListener> list;
        try
        {
            list = new List<ActiveListener>(manager.Listeners);
        }
        catch (InvalidCastException)
        {
            // ListenerManager.Listeners casts an ImmutableDictionary value view to IReadOnlyCollection, which
            // fails; until that is fixed, find the bootstrap's listeners by name.
            list = [];
            foreach (var config in context.Server.Bootstrap.StaticResources?.Listeners ?? [])
            {
                if (manager.Get(config.Name) is { } active)
                {
                    list.Add(active);
                }
            }
        }
        list.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return list;
    }
}
