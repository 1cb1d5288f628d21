namespace Legate.Xds;

/// <summary>
/// Something server or listener init waits for (Envoy's Init::Target): a resource's first response, its
/// rejection, or its initial fetch timeout. Ready is idempotent.
/// </summary>
public sealed class InitTarget
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public InitTarget(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public Task Initialized => _ready.Task;

    public bool IsReady => _ready.Task.IsCompleted;

    public void Ready() => _ready.TrySetResult();
}
