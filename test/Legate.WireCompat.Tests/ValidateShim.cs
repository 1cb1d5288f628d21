using System.Text.RegularExpressions;

namespace Legate.WireCompat.Tests;

/// <summary>
/// The protoc-gen-validate snapshot inside @grpc/grpc-js-xds is older than its envoy-api snapshot (envoy-api uses
/// e.g. <c>StringRules.ignore_empty</c>, which that validate.proto lacks), so protoc rejects the upstream files on
/// their validation options. Those options carry no wire schema, so we let protoc parse them by shadowing
/// validate/validate.proto with a temporary copy that declares the missing rule fields. The copy lives in a temp
/// folder, never in the repository.
/// </summary>
internal sealed partial class ValidateShim : IDisposable
{
    private const int FirstShimFieldNumber = 9000;
    private readonly string _source;
    private int _nextNumber = FirstShimFieldNumber;

    public ValidateShim(string protocGenValidateRoot, string scratch)
    {
        _source = File.ReadAllText(Path.Combine(protocGenValidateRoot, "validate", "validate.proto"));
        IncludePath = Path.Combine(scratch, "validate-shim");
        Directory.CreateDirectory(Path.Combine(IncludePath, "validate"));
        Text = _source;
        Write();
    }

    /// <summary>Put this include path before the real protoc-gen-validate one.</summary>
    public string IncludePath { get; }

    public string Text { get; private set; }

    /// <summary>Fields added so far, as "validate.Message.field", for the report.</summary>
    public List<string> Added { get; } = [];

    /// <summary>Adds every rule field protoc complained about; false when the errors are of another kind.</summary>
    public bool TryPatch(string protocErrors)
    {
        var patched = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in MissingRuleField().Matches(protocErrors))
        {
            var message = match.Groups[1].Value;
            var field = match.Groups[2].Value;
            if (!seen.Add(message + "." + field))
            {
                continue;
            }
            var header = new Regex(@"message\s+" + Regex.Escape(message) + @"\s*\{");
            var at = header.Match(Text);
            if (!at.Success)
            {
                return false;
            }
            var insertion = "\n  optional bool " + field + " = " + _nextNumber++ + "; // wire-compat shim\n";
            Text = Text.Insert(at.Index + at.Length, insertion);
            Added.Add("validate." + message + "." + field);
            patched = true;
        }
        if (patched)
        {
            Write();
        }
        return patched;
    }

    private void Write() => File.WriteAllText(Path.Combine(IncludePath, "validate", "validate.proto"), Text);

    public void Dispose()
    {
        try
        {
            Directory.Delete(IncludePath, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [GeneratedRegex("Message type \"validate\\.(\\w+)\" has no field named \"(\\w+)\"")]
    private static partial Regex MissingRuleField();
}
