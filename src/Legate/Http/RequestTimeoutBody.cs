namespace Legate.Http;

/// <summary>
/// Stands in for the downstream request body while <c>request_timeout</c> is armed. The read that finds the
/// body's end is the moment Envoy disarms the timer: the whole request has been received and passed on.
/// </summary>
internal sealed class RequestTimeoutBody(RequestTimeout timeout) : RequestBodyEndWatcher
{
    private int _generation;

    protected override int CurrentRequest => _generation;

    /// <summary>Wraps the body of request <paramref name="generation"/> (a read still pending from an earlier request must not disarm this one).</summary>
    internal void Wrap(Stream inner, int generation)
    {
        Inner = inner;
        _generation = generation;
    }

    protected override void OnEnd(int request) => timeout.Disarm(request);
}
