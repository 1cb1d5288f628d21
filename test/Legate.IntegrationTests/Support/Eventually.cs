namespace Legate.IntegrationTests.Support;

/// <summary>Polling with a deadline for states the tests cannot await directly.</summary>
public static class Eventually
{
    public static async Task<bool> TrueAsync(Func<bool> condition, TimeSpan? deadline = null)
    {
        var end = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow >= end)
            {
                return false;
            }
            await Task.Delay(20);
        }
        return true;
    }

    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan? deadline = null)
    {
        var end = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow >= end)
            {
                return false;
            }
            await Task.Delay(20);
        }
        return true;
    }
}
