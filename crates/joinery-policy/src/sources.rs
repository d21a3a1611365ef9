//! The text of a policy set: one Cedar schema and any number of policy files, as read from
//! `policy/` at build time (the built-in agreement) or from a directory by the binary.

use sha2::{Digest, Sha256};

use crate::PolicyError;

/// One file: its name (for error messages and the audit trail) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyFile {
    pub name: String,
    pub text: String,
}

/// A schema and its policies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicySources {
    pub schema: PolicyFile,
    pub policies: Vec<PolicyFile>,
}

macro_rules! builtin_file {
    ($name:literal) => {
        PolicyFile {
            name: $name.to_owned(),
            text: include_str!(concat!("../../../policy/", $name)).to_owned(),
        }
    };
}

impl PolicySources {
    /// The default agreement of PRODUCT.md, as kept in the repository's `policy/` directory,
    /// in name order as [`Self::from_files`] reads a directory.
    pub fn builtin() -> Self {
        Self {
            schema: builtin_file!("joinery.cedarschema"),
            policies: vec![
                builtin_file!("break_glass.cedar"),
                builtin_file!("governance.cedar"),
                builtin_file!("guards.cedar"),
                builtin_file!("measures.cedar"),
                builtin_file!("sharing.cedar"),
            ],
        }
    }

    /// Gathers files named `*.cedarschema` (exactly one) and `*.cedar`, in name order.
    pub fn from_files(files: impl IntoIterator<Item = PolicyFile>) -> Result<Self, PolicyError> {
        let mut schema = None;
        let mut policies = Vec::new();
        for file in files {
            if file.name.ends_with(".cedarschema") {
                if let Some(PolicyFile { name, .. }) = schema.replace(file) {
                    return Err(PolicyError::Schema {
                        file: name,
                        message: "there is more than one `.cedarschema` file".to_owned(),
                    });
                }
            } else if file.name.ends_with(".cedar") {
                policies.push(file);
            }
        }
        policies.sort_by(|a, b| a.name.cmp(&b.name));
        let schema = schema.ok_or(PolicyError::NoSchema)?;
        if policies.is_empty() {
            return Err(PolicyError::NoPolicies);
        }
        Ok(Self { schema, policies })
    }

    /// A SHA-256 over every file's name and text: what the audit trail records as the version
    /// of the agreement in force.
    pub fn digest(&self) -> String {
        let mut hasher = Sha256::new();
        for file in std::iter::once(&self.schema).chain(&self.policies) {
            for part in [&file.name, &file.text] {
                hasher.update((part.len() as u64).to_be_bytes());
                hasher.update(part.as_bytes());
            }
        }
        hex::encode(hasher.finalize())
    }
}
