using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FlinkOpsBot.Core.Recipes;

/// <summary>
/// A recipe file that cannot be used, with the file, the 1-based line and what is wrong, e.g.
/// <c>recipes/upgrade.yaml:42: unknown check 'job-runing' (known: job-running, …)</c>.
/// </summary>
public sealed class RecipeLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RecipeLoadException(string file, int line, string problem, Exception? innerException = null)
        : base($"{file}:{line}: {problem}", innerException)
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    /// <summary>The recipe file, as named to the loader.</summary>
    public string File { get; }

    /// <summary>The 1-based line of the offending node.</summary>
    public int Line { get; }

    /// <summary>What is wrong, in plain words.</summary>
    public string Problem { get; }
}

/// <summary>
/// Reads recipe YAML into <see cref="Recipe"/>s and checks every name against the check and step libraries, so a
/// typo fails start-up with its line rather than a run at 3 a.m.
/// </summary>
public sealed class RecipeLoader
{
    private static readonly string[] TopLevelKeys =
        ["id", "title", "cookbook", "mutating", "summary", "context", "inputs", "preconditions", "manual", "gate", "procedure", "validation", "rollback", "gotchas",
         "platforms", "report", "offers"];

    /// <summary>The platform names a recipe's <c>platforms</c> may list.</summary>
    public static readonly IReadOnlyList<string> KnownPlatforms = [Clusters.ClusterDefinition.FlinkRest, Clusters.ClusterDefinition.Cmf];

    private readonly IReadOnlySet<string> _checks;
    private readonly IReadOnlySet<string> _steps;

    /// <summary>Creates a loader that accepts the given check ids and step kinds.</summary>
    public RecipeLoader(IEnumerable<string> knownChecks, IEnumerable<string> knownSteps)
    {
        _checks = knownChecks.ToHashSet(StringComparer.Ordinal);
        _steps = knownSteps.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Parses one recipe file.</summary>
    /// <param name="file">The name used in error messages, e.g. <c>recipes/upgrade.yaml</c>.</param>
    /// <param name="yaml">The file's text.</param>
    /// <exception cref="RecipeLoadException">The file is not valid YAML or not a valid recipe.</exception>
    public Recipe Load(string file, string yaml)
    {
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw new RecipeLoadException(file, (int)e.Start.Line, "not valid YAML: " + e.Message, e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this for some malformed flow collections; the parser knows where it stopped.
            throw new RecipeLoadException(file, (int)(parser.Current?.End.Line ?? 1), "not valid YAML: a bracket or quote is not closed", e);
        }
        if (stream.Documents.Count != 1)
        {
            throw new RecipeLoadException(file, 1, $"expected one YAML document, found {stream.Documents.Count}");
        }
        return new Reader(file, _checks, _steps).Recipe(stream.Documents[0].RootNode);
    }

    private sealed class Reader(string file, IReadOnlySet<string> checks, IReadOnlySet<string> steps)
    {
        public Recipe Recipe(YamlNode root)
        {
            var map = Map(root, "the recipe");
            RejectUnknownKeys(map, TopLevelKeys, "recipe");
            var recipe = new Recipe
            {
                Id = RequiredScalar(map, "id"),
                Title = RequiredScalar(map, "title"),
                Cookbook = RequiredScalar(map, "cookbook"),
                Summary = RequiredScalar(map, "summary"),
                Context = OptionalScalar(map, "context") ?? "",
                Mutating = OptionalBool(map, "mutating") ?? false,
                Inputs = List(map, "inputs").Select(Input).ToList(),
                Preconditions = List(map, "preconditions").Select(Check).ToList(),
                Manual = List(map, "manual").Select(n => Scalar(n, "a manual checklist item")).ToList(),
                Gate = Get(map, "gate") is { } gate ? Gate(gate) : new GateSpec(),
                Procedure = List(map, "procedure").Select(Step).ToList(),
                Validation = Get(map, "validation") is { } validation ? Validation(validation) : new ValidationSpec(),
                Rollback = List(map, "rollback").Select(Step).ToList(),
                Gotchas = List(map, "gotchas").Select(n => Scalar(n, "a gotcha")).ToList(),
                Report = List(map, "report").Select(Check).ToList(),
                Offers = List(map, "offers").Select(n => Scalar(n, "an offer")).ToList(),
            };
            if (Get(map, "platforms") is { } platformsNode)
            {
                var platforms = List(map, "platforms").Select(n => (Node: n, Name: Scalar(n, "a platform"))).ToList();
                foreach (var (node, name) in platforms.Where(p => !KnownPlatforms.Contains(p.Name)))
                {
                    throw Error(node, $"unknown platform '{name}' (known: {string.Join(", ", KnownPlatforms)})");
                }
                if (platforms.Count == 0) throw Error(platformsNode, "'platforms' must name at least one platform");
                recipe = recipe with { Platforms = platforms.Select(p => p.Name).Distinct().ToList() };
            }
            if (!recipe.Id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                throw Error(map.Children[new YamlScalarNode("id")], $"id '{recipe.Id}' must be lower-case letters, digits and dashes");
            }
            if (recipe.Inputs.Count(i => i.Positional) > 1)
            {
                throw Error(map, "at most one input may be positional");
            }
            if (recipe.Mutating && recipe.Procedure.Count == 0)
            {
                throw Error(map, "a mutating recipe needs a procedure");
            }
            if (!recipe.Mutating && recipe.Procedure.Count > 0)
            {
                throw Error(map, "a recipe with a procedure changes the cluster: set 'mutating: true' (it then gets a gate and takes the job's lock)");
            }
            if (recipe.Mutating && recipe.Report.Count > 0)
            {
                throw Error(map, "'report' is for read-only recipes; a mutating recipe shows its preconditions instead");
            }
            return recipe;
        }

        private RecipeInput Input(YamlNode node)
        {
            var map = Map(node, "an input");
            RejectUnknownKeys(map, ["name", "type", "required", "positional", "help"], "input");
            var typeText = RequiredScalar(map, "type");
            if (!Enum.TryParse<InputType>(typeText, ignoreCase: true, out var type) || typeText.Any(char.IsUpper))
            {
                throw Error(map.Children[new YamlScalarNode("type")],
                    $"unknown input type '{typeText}' (known: {string.Join(", ", Enum.GetNames<InputType>().Select(n => n.ToLowerInvariant()))})");
            }
            return new RecipeInput(RequiredScalar(map, "name"), type, OptionalBool(map, "required") ?? false,
                OptionalBool(map, "positional") ?? false, OptionalScalar(map, "help") ?? "");
        }

        private CheckSpec Check(YamlNode node)
        {
            var map = Map(node, "a check");
            RejectUnknownKeys(map, ["check", "with"], "check");
            var id = RequiredScalar(map, "check");
            if (!checks.Contains(id))
            {
                throw Error(map.Children[new YamlScalarNode("check")], $"unknown check '{id}' (known: {string.Join(", ", checks.Order())})");
            }
            return new CheckSpec(id, With(map));
        }

        private StepSpec Step(YamlNode node)
        {
            var map = Map(node, "a step");
            RejectUnknownKeys(map, ["step", "with", "on-failure"], "step");
            var kind = RequiredScalar(map, "step");
            if (!steps.Contains(kind))
            {
                throw Error(map.Children[new YamlScalarNode("step")], $"unknown step '{kind}' (known: {string.Join(", ", steps.Order())})");
            }
            var onFailure = OptionalScalar(map, "on-failure") switch
            {
                null or "rollback" => StepFailureMode.Rollback,
                "abort" => StepFailureMode.Abort,
                var other => throw Error(map.Children[new YamlScalarNode("on-failure")], $"on-failure must be 'rollback' or 'abort', not '{other}'"),
            };
            var with = With(map);
            foreach (var key in Engine.StepConditions.ConditionKeys)
            {
                if (with.GetValueOrDefault(key) is { } flag && !Engine.StepConditions.KnownFlags.Contains(flag))
                {
                    throw Error(map, $"'{key}: {flag}' names an unknown flag (known: {string.Join(", ", Engine.StepConditions.KnownFlags)})");
                }
            }
            return new StepSpec(kind, with, onFailure);
        }

        private GateSpec Gate(YamlNode node)
        {
            var map = Map(node, "the gate");
            RejectUnknownKeys(map, ["approvals", "self-approval", "expires-after"], "gate");
            var approvals = OptionalInt(map, "approvals") ?? 1;
            if (approvals < 1) throw Error(map, "gate approvals must be at least 1");
            return new GateSpec(approvals, OptionalBool(map, "self-approval") ?? false, OptionalDuration(map, "expires-after"));
        }

        private ValidationSpec Validation(YamlNode node)
        {
            var map = Map(node, "validation");
            RejectUnknownKeys(map, ["window", "checks"], "validation");
            return new ValidationSpec(OptionalDuration(map, "window") ?? TimeSpan.Zero, List(map, "checks").Select(Check).ToList());
        }

        private Dictionary<string, string> With(YamlMappingNode map)
        {
            if (Get(map, "with") is not { } node) return [];
            return Map(node, "'with'").Children.ToDictionary(kv => Scalar(kv.Key, "a parameter name"), kv => Scalar(kv.Value, "a parameter value"), StringComparer.Ordinal);
        }

        private static YamlNode? Get(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

        private IEnumerable<YamlNode> List(YamlMappingNode map, string key) => Get(map, key) switch
        {
            null => [],
            YamlSequenceNode sequence => sequence.Children,
            var other => throw Error(other, $"'{key}' must be a list"),
        };

        private YamlMappingNode Map(YamlNode node, string what) =>
            node as YamlMappingNode ?? throw Error(node, $"{what} must be a mapping (key: value)");

        private string Scalar(YamlNode node, string what) =>
            node is YamlScalarNode { Value: { } value } ? value : throw Error(node, $"{what} must be a single value");

        private string RequiredScalar(YamlMappingNode map, string key) =>
            Get(map, key) is { } node ? Scalar(node, $"'{key}'") : throw Error(map, $"'{key}' is required");

        private string? OptionalScalar(YamlMappingNode map, string key) =>
            Get(map, key) is { } node ? Scalar(node, $"'{key}'") : null;

        private bool? OptionalBool(YamlMappingNode map, string key) => OptionalScalar(map, key) switch
        {
            null => null,
            "true" => true,
            "false" => false,
            var other => throw Error(Get(map, key)!, $"'{key}' must be true or false, not '{other}'"),
        };

        private int? OptionalInt(YamlMappingNode map, string key) => OptionalScalar(map, key) switch
        {
            null => null,
            var text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            var other => throw Error(Get(map, key)!, $"'{key}' must be a whole number, not '{other}'"),
        };

        private TimeSpan? OptionalDuration(YamlMappingNode map, string key) => OptionalScalar(map, key) switch
        {
            null => null,
            var text when Durations.TryParse(text, out var d) => d,
            var other => throw Error(Get(map, key)!, $"'{key}' must be a duration such as 30s, 10m or 2h, not '{other}'"),
        };

        private void RejectUnknownKeys(YamlMappingNode map, IReadOnlyCollection<string> allowed, string what)
        {
            foreach (var key in map.Children.Keys)
            {
                var name = Scalar(key, "a key");
                if (!allowed.Contains(name))
                {
                    throw Error(key, $"unknown {what} key '{name}' (allowed: {string.Join(", ", allowed)})");
                }
            }
        }

        private RecipeLoadException Error(YamlNode node, string problem) => new(file, (int)node.Start.Line, problem);
    }
}
