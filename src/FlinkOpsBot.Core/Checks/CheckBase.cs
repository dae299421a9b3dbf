using System.Globalization;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Recipes;

namespace FlinkOpsBot.Core.Checks;

/// <summary>Shared plumbing for checks: a title, parameter parsing, and cluster errors turned into Unknown.</summary>
internal abstract class CheckBase : ICheck
{
    public abstract string Id { get; }

    protected abstract string Title { get; }

    public async Task<CheckResult> EvaluateAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        try
        {
            return await EvaluateCoreAsync(context, spec, cancellationToken);
        }
        catch (PlatformException e)
        {
            return Unknown("could not read the cluster: " + e.Message);
        }
    }

    protected abstract Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken);

    protected CheckResult Pass(string evidence) => CheckResult.Pass(Id, Title, evidence);

    protected CheckResult Fail(string evidence) => CheckResult.Fail(Id, Title, evidence);

    protected CheckResult Unknown(string evidence) => CheckResult.Unknown(Id, Title, evidence);

    protected static int IntParameter(CheckSpec spec, string name, int fallback) =>
        spec.With.TryGetValue(name, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : fallback;

    protected static string Ago(DateTimeOffset now, DateTimeOffset then) => Durations.Ago(now, then);

    protected static string Short(string jobId) => jobId.Length > 8 ? jobId[..8] : jobId;
}
