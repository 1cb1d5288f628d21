using Google.Protobuf;

namespace Legate.Xds;

/// <summary>One xDS resource after decoding: its name, the message, and the version the server gave it (delta).</summary>
public sealed record DecodedResource(string Name, IMessage Resource, string Version);
