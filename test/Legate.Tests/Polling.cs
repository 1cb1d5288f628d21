using System.Diagnostics;

namespace Legate.Tests;

/// <summary>Waiting on state that a background task or timer changes, with a deadline instead of a fixed sleep.</summary>
internal static class Polling
{
    /// <summary>Returns once <paramref name="condition"/> holds; fails the test after 10 s, naming <paramref name="what"/>.</summary>
    public static async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "timed out waiting for " + what);
            await Task.Delay(10);
        }
    }
}
