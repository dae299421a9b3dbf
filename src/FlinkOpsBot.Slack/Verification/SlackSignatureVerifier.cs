using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Slack.Verification;

/// <summary>
/// Checks Slack's request signature (docs: "Verifying requests from Slack"): <c>X-Slack-Signature</c> must be
/// <c>v0=</c> and the lowercase hex HMAC-SHA256 of <c>v0:{X-Slack-Request-Timestamp}:{raw body}</c> keyed with the
/// signing secret, compared in constant time; the timestamp must be within 300 seconds of the host clock, either way.
/// </summary>
internal sealed class SlackSignatureVerifier
{
    /// <summary>The freshness window: <c>abs(now - timestamp) &lt;= 300</c> seconds is accepted.</summary>
    public const long MaxAgeSeconds = 300;

    private const string Version = "v0";
    private readonly byte[] _key;
    private readonly TimeProvider _time;

    public SlackSignatureVerifier(IOptions<SlackOptions> options, TimeProvider time)
    {
        _key = Encoding.UTF8.GetBytes(options.Value.SigningSecret);
        _time = time;
    }

    public SignatureCheck Check(string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(signature)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return SignatureCheck.MissingHeaders;
        }
        if (Math.Abs(_time.GetUtcNow().ToUnixTimeSeconds() - seconds) > MaxAgeSeconds) return SignatureCheck.Stale;

        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(Encoding.ASCII.GetBytes($"{Version}:{timestamp}:"));
        hmac.AppendData(body);
        var expected = Encoding.ASCII.GetBytes($"{Version}={Convert.ToHexStringLower(hmac.GetHashAndReset())}");
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.UTF8.GetBytes(signature))
            ? SignatureCheck.Valid
            : SignatureCheck.Mismatch;
    }
}
