namespace Legate.Extensions.Filters.Http.Router;

/// <summary>The downstream stopped taking the response (or sending the request body).</summary>
internal sealed class DownstreamGoneException : IOException
{
    public DownstreamGoneException()
        : base("downstream connection closed")
    {
    }
}
