namespace FlinkOpsBot.Core.Checks;

/// <summary>The outcome of a check: passed, failed, or could not be decided.</summary>
public enum CheckOutcome
{
    /// <summary>The condition holds.</summary>
    Pass,
    /// <summary>The condition does not hold.</summary>
    Fail,
    /// <summary>The cluster could not be read or the answer is ambiguous; treated as not passed.</summary>
    Unknown,
}

/// <summary>
/// One evaluated check with the evidence a person needs to trust it ("last checkpoint 14 s ago, interval 10 s").
/// </summary>
/// <param name="Id">The check's id from the recipe, e.g. <c>job-running</c>.</param>
/// <param name="Title">What was checked, in plain words.</param>
/// <param name="Outcome">Pass, fail or unknown.</param>
/// <param name="Evidence">What was seen, with numbers, JobIDs and units.</param>
public sealed record CheckResult(string Id, string Title, CheckOutcome Outcome, string Evidence)
{
    /// <summary>
    /// The stable facts the outcome rests on, e.g. <c>jobId=…; status=RUNNING; runningSince=2026-12-05T14:00:00.0000000+00:00</c>:
    /// no relative times, nothing that moves while nothing changed (such as the newest checkpoint's id). A run's plan hash
    /// covers it (<see cref="Plans.PlanHasher"/>), so a change here between approval and execution voids the approvals.
    /// Null when the check has none beyond its outcome.
    /// </summary>
    public string? Basis { get; init; }

    /// <summary>A passing result.</summary>
    public static CheckResult Pass(string id, string title, string evidence) => new(id, title, CheckOutcome.Pass, evidence);

    /// <summary>A failing result.</summary>
    public static CheckResult Fail(string id, string title, string evidence) => new(id, title, CheckOutcome.Fail, evidence);

    /// <summary>An undecided result.</summary>
    public static CheckResult Unknown(string id, string title, string evidence) => new(id, title, CheckOutcome.Unknown, evidence);
}
