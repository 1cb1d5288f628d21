namespace Legate.Config;

/// <summary>Builds field paths the way error messages print them: <c>a.b[2].c</c>.</summary>
public static class ConfigPath
{
    public static string Join(string parent, string child)
    {
        if (string.IsNullOrEmpty(parent))
        {
            return child;
        }
        if (string.IsNullOrEmpty(child))
        {
            return parent;
        }
        return child[0] == '[' ? parent + child : parent + "." + child;
    }

    public static string Index(string parent, int index) => parent + "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
}
