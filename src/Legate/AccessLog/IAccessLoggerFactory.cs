using Google.Protobuf;
using Legate.Extensions;

namespace Legate.AccessLog;

/// <summary>Creates an access logger from its typed_config (file, stdout, stderr, ...).</summary>
public interface IAccessLoggerFactory : IExtensionFactory
{
    /// <param name="config">The unpacked typed_config.</param>
    /// <param name="context">Process-wide services the logger may need.</param>
    /// <param name="path">Field path of the typed_config, for errors.</param>
    IAccessLogger Create(IMessage config, AccessLogContext context, string path);
}
