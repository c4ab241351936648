//! The workload profile: what a product asks of a model each day, as written
//! in `workloads/<workload>.yaml`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One workload: its volume, token shape, traffic and requirements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Workload {
    /// Id of the workload; must equal the file stem.
    pub workload: String,
    /// Display name.
    pub name: String,
    /// Who runs it, and why these numbers.
    #[serde(default)]
    pub description: String,
    /// Canonical model id.
    #[schemars(schema_with = "super::schema::model_schema")]
    pub model: String,
    /// Models that would also do, in order of preference after `model`:
    /// their offers are priced too, and picked only when no option of a
    /// model before them is eligible.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "super::schema::models_schema")]
    pub substitutes: Vec<String>,
    /// Modality of the output.
    #[serde(default = "default_modality")]
    pub modality: String,
    /// Requests a day (request workloads); above 0.
    #[serde(default)]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub requests_per_day: Option<f64>,
    /// Mean input tokens per request.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub input_tokens: f64,
    /// Mean output tokens per request.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub output_tokens: f64,
    /// Share of input tokens that hit a prefix cache.
    #[serde(default)]
    #[schemars(range(min = 0, max = 1))]
    pub cached_input_share: f64,
    /// Share of requests that can wait for a batch tier.
    #[serde(default)]
    #[schemars(range(min = 0, max = 1))]
    pub batch_share: f64,
    /// How the day's traffic spreads over the hours.
    #[serde(default)]
    pub traffic: Traffic,
    /// Multi-turn agent or RL rollouts, instead of requests.
    #[serde(default)]
    pub episode: Option<Episode>,
    /// Training tokens a day (fine-tuning, RL updates).
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub training_tokens_per_day: f64,
    /// Hard requirements an offer must meet.
    #[serde(default)]
    pub requirements: Requirements,
    /// Monthly budget in $.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub budget_usd_per_month: Option<f64>,
}

impl Workload {
    /// The acceptable models in order of preference: `model`, then the
    /// `substitutes`.
    pub fn models(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.model.as_str()).chain(self.substitutes.iter().map(String::as_str))
    }

    /// Whether `model` is one of the acceptable models.
    pub fn accepts(&self, model: &str) -> bool {
        self.models().any(|m| m == model)
    }
}

fn default_modality() -> String {
    "text".to_string()
}

/// How a day's traffic spreads over its 24 hours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Traffic {
    /// The shape of the day.
    #[serde(default)]
    pub shape: Shape,
    /// 24 non-negative weights, with `shape: hourly`.
    #[serde(default)]
    pub hourly: Vec<f64>,
    /// Share of a dedicated replica's capacity that may be used (headroom kept).
    #[serde(default = "default_target_utilization")]
    #[schemars(range(min = 0, max = 1))]
    pub target_utilization: f64,
}

fn default_target_utilization() -> f64 {
    0.8
}

impl Default for Traffic {
    fn default() -> Self {
        Traffic {
            shape: Shape::default(),
            hourly: Vec::new(),
            target_utilization: default_target_utilization(),
        }
    }
}

/// The named traffic shapes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    /// The same load every hour.
    #[default]
    Flat,
    /// 80% of the day's load in 09:00-17:59, 20% over the other 15 hours.
    BusinessHours,
    /// A smooth day peaking at 14:00: w_h ∝ 1 + 0.5·cos(2π(h−14)/24).
    Diurnal,
    /// The 24 weights given in `hourly`, normalised.
    Hourly,
}

/// A multi-turn episode (agent session or RL rollout).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Episode {
    /// Episodes a day; above 0.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub episodes_per_day: f64,
    /// Turns per episode (T).
    #[schemars(range(min = 1))]
    pub turns: u32,
    /// System prompt, tools and task (P1).
    #[schemars(range(min = 0))]
    pub initial_prompt_tokens: f64,
    /// Model response and tool result added to the context each turn (Δ).
    #[schemars(range(min = 0))]
    pub context_growth_per_turn: f64,
    /// Tokens decoded per turn (G).
    #[schemars(range(min = 0))]
    pub generation_tokens: f64,
}

/// Hard requirements; an offer that breaks one is excluded with the reason.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Requirements {
    /// Compliance items the vendor must attest.
    #[serde(default)]
    #[schemars(schema_with = "super::ids::compliance_schema")]
    pub compliance: Vec<String>,
    /// Needs single-tenant hardware.
    #[serde(default)]
    pub isolated: bool,
    /// Serves a fine-tuned LoRA adapter.
    #[serde(default)]
    pub fine_tuned: bool,
    /// Longest acceptable time to first token, milliseconds.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub max_ttft_ms: Option<f64>,
    /// Slowest acceptable decode speed of one stream, tokens per second.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub min_output_tokens_per_s: Option<f64>,
}
