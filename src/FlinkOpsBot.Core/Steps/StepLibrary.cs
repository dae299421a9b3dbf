namespace FlinkOpsBot.Core.Steps;

/// <summary>The steps recipes may name, by kind.</summary>
public sealed class StepLibrary
{
    private readonly Dictionary<string, IStep> _steps;

    /// <summary>Creates a library over <paramref name="steps"/>.</summary>
    /// <exception cref="ArgumentException">Two steps share a kind.</exception>
    public StepLibrary(IEnumerable<IStep> steps) => _steps = steps.ToDictionary(s => s.Kind, StringComparer.Ordinal);

    /// <summary>The built-in steps.</summary>
    public static StepLibrary BuiltIn { get; } = new([
        new StopWithSavepointStep(), new SubmitFromSavepointStep(), new AwaitRunningStep(),
        new AwaitCheckpointAfterRestoreStep(), new CancelJobStep(),
        new Locks.TransferLockStep(),
        new SubmitJobStep(), new AwaitCheckpointStep(), new PinRestorePointStep(),
        new AwaitCaughtUpStep(), new TriggerSavepointStep(), new RescaleInPlaceStep(),
        new CreateStatementStep(), new AwaitStatementStep(), new StopStatementStep(),
        new DeleteSavepointsStep(),
    ]);

    /// <summary>Every step kind.</summary>
    public IEnumerable<string> Kinds => _steps.Keys;

    /// <summary>The step of that kind.</summary>
    /// <exception cref="KeyNotFoundException">No such step (recipes are validated at load, so this is a bug).</exception>
    public IStep this[string kind] => _steps[kind];
}
