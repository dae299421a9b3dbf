namespace FlinkOpsBot.Core.Recipes;

/// <summary>
/// One cookbook entry, declared as data (<c>recipes/*.yaml</c>) with the cookbook's sections: context, inputs,
/// preconditions, manual checklist, gate, procedure, validation, rollback and gotchas. The engine interprets it
/// over its library of checks and steps.
/// </summary>
public sealed record Recipe
{
    /// <summary>The verb people type, e.g. <c>upgrade</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The card's title, e.g. "Upgrade a job with a savepoint".</summary>
    public required string Title { get; init; }

    /// <summary>The cookbook section it implements, e.g. "2.1 Safely upgrade a Flink job using savepoints".</summary>
    public required string Cookbook { get; init; }

    /// <summary>One sentence for the help text.</summary>
    public required string Summary { get; init; }

    /// <summary>Background for the approver.</summary>
    public string Context { get; init; } = "";

    /// <summary>True when the recipe changes the cluster (then it has a gate and takes the job's lock).</summary>
    public bool Mutating { get; init; }

    /// <summary>The inputs, in declaration order.</summary>
    public IReadOnlyList<RecipeInput> Inputs { get; init; } = [];

    /// <summary>Checks that must pass before the gate opens.</summary>
    public IReadOnlyList<CheckSpec> Preconditions { get; init; } = [];

    /// <summary>Checklist items the approver confirms by approving.</summary>
    public IReadOnlyList<string> Manual { get; init; } = [];

    /// <summary>The recipe's default gate; configuration may override it.</summary>
    public GateSpec Gate { get; init; } = new();

    /// <summary>The procedure's steps, in order.</summary>
    public IReadOnlyList<StepSpec> Procedure { get; init; } = [];

    /// <summary>How long the result is watched before the run succeeds, and with which checks.</summary>
    public ValidationSpec Validation { get; init; } = new();

    /// <summary>The rollback's steps, run in order when the procedure or validation fails.</summary>
    public IReadOnlyList<StepSpec> Rollback { get; init; } = [];

    /// <summary>Things that go wrong in practice, shown on the card.</summary>
    public IReadOnlyList<string> Gotchas { get; init; } = [];

    /// <summary>
    /// The platforms the recipe runs on (<c>flink-rest</c>, <c>cmf</c>); a command naming a cluster of another platform is
    /// refused before anything is read. Default: <c>flink-rest</c>.
    /// </summary>
    public IReadOnlyList<string> Platforms { get; init; } = [Clusters.ClusterDefinition.FlinkRest];

    /// <summary>
    /// For a read-only recipe (<see cref="Mutating"/> false): the checks whose results and evidence are the answer, in
    /// order (a diagnosis or a status). Evaluated on request; nothing is persisted and nothing changes.
    /// </summary>
    public IReadOnlyList<CheckSpec> Report { get; init; } = [];

    /// <summary>
    /// Follow-up commands the answer offers (e.g. the gated mitigations of a diagnosis), with <c>{job}</c> and
    /// <c>{cluster}</c> replaced by the request's values.
    /// </summary>
    public IReadOnlyList<string> Offers { get; init; } = [];

    /// <summary>True when the recipe runs on <paramref name="platform"/> (case-insensitive).</summary>
    public bool RunsOn(string platform) => Platforms.Contains(platform, StringComparer.OrdinalIgnoreCase);

    /// <summary>The input fed by the first positional argument, if any.</summary>
    public RecipeInput? PositionalInput => Inputs.FirstOrDefault(i => i.Positional);

    /// <summary>The usage line, e.g. <c>/flink upgrade &lt;job&gt; --jar &lt;jar&gt; [--parallelism N] …</c>.</summary>
    public string Usage => "/flink " + Id + string.Concat(Inputs.Select(i => " " + i.Usage));
}

/// <summary>The value kinds an input may take.</summary>
public enum InputType
{
    /// <summary>A job name or 32-hex JobID.</summary>
    Job,
    /// <summary>A jar on the cluster, by id or file name.</summary>
    Jar,
    /// <summary>A positive whole number.</summary>
    Int,
    /// <summary>A URI such as <c>s3://bucket/savepoints</c>.</summary>
    Uri,
    /// <summary>A switch without a value.</summary>
    Flag,
    /// <summary>A configured cluster name.</summary>
    Cluster,
    /// <summary>Free text.</summary>
    Text,
    /// <summary>
    /// The name of something the recipe creates (a job, a CMF application or statement): lower-case letters, digits, '-'
    /// and '.', starting and ending with a letter or digit, at most 253 characters (CMF's resource-name rule).
    /// </summary>
    Name,
}

/// <summary>A recipe input: a positional argument or a <c>--name value</c> option.</summary>
/// <param name="Name">The option name without dashes, e.g. <c>savepoint-dir</c>.</param>
/// <param name="Type">The value kind.</param>
/// <param name="Required">Whether the command is refused without it.</param>
/// <param name="Positional">Whether it is given without <c>--name</c>.</param>
/// <param name="Help">A few words for the usage text.</param>
public sealed record RecipeInput(string Name, InputType Type, bool Required, bool Positional, string Help)
{
    /// <summary>How the input appears in the usage line.</summary>
    public string Usage
    {
        get
        {
            var text = Positional ? $"<{Name}>"
                : Type == InputType.Flag ? $"--{Name}"
                : Type == InputType.Int ? $"--{Name} N"
                : $"--{Name} <{Type.ToString().ToLowerInvariant()}>";
            return Required ? text : $"[{text}]";
        }
    }
}

/// <summary>A check named by a recipe, with its parameters.</summary>
/// <param name="Check">The check's id in the library, e.g. <c>checkpoint-recent</c>.</param>
/// <param name="With">Parameters.</param>
public sealed record CheckSpec(string Check, IReadOnlyDictionary<string, string> With);

/// <summary>What the engine does when a procedure step fails.</summary>
public enum StepFailureMode
{
    /// <summary>Roll back: the cluster may have changed.</summary>
    Rollback,
    /// <summary>End the run as Failed without rollback: the step leaves the cluster as it was.</summary>
    Abort,
}

/// <summary>A step named by a recipe, with its parameters.</summary>
/// <param name="Step">The step kind in the library, e.g. <c>stop-with-savepoint</c>.</param>
/// <param name="With">Parameters.</param>
/// <param name="OnFailure">What a failure of this step means for the run.</param>
public sealed record StepSpec(string Step, IReadOnlyDictionary<string, string> With, StepFailureMode OnFailure);

/// <summary>The gate a recipe asks for by default.</summary>
/// <param name="Approvals">Distinct approvers needed.</param>
/// <param name="SelfApproval">Whether the requester's approval counts.</param>
/// <param name="ExpiresAfter">How long the gate stays open.</param>
public sealed record GateSpec(int Approvals = 1, bool SelfApproval = false, TimeSpan? ExpiresAfter = null)
{
    /// <summary>The gate's lifetime: <see cref="ExpiresAfter"/> or 30 minutes.</summary>
    public TimeSpan Lifetime => ExpiresAfter ?? TimeSpan.FromMinutes(30);
}

/// <summary>The validation window and the checks that must hold throughout it.</summary>
/// <param name="Window">How long to watch; clusters may override it.</param>
/// <param name="Checks">The checks.</param>
public sealed record ValidationSpec(TimeSpan Window, IReadOnlyList<CheckSpec> Checks)
{
    /// <summary>No validation.</summary>
    public ValidationSpec() : this(TimeSpan.Zero, []) { }
}
