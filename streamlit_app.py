"""ML Interview Lab: the router and the lesson registry. Every page script lives in app_pages/ and
is listed in NAVIGATION below."""

import streamlit as st

import ui.process  # noqa: F401  (one BLAS/OpenMP thread per run in the served app)
from ui import classroom, export, lesson

st.set_page_config(
    page_title="ML Interview Lab",
    page_icon=":material/science:",
    layout="wide",
    initial_sidebar_state=classroom.page_config_sidebar_state(),
)

# The lesson registry: every page the app serves, by section, in the sidebar's order. This is the
# one place a page is added. Each entry gives the page's title and icon (the navigation), its
# interview question (the page header, the home grid, the README's lesson table) and its home-card
# blurb; the page's address is its script's name, and a page outside "Practice" runs
# core.experiments.<that name>. ui.pages reads this literal without running the router and hands
# its entries to everything else (page headers, home grid, tests, benchmarks, README table).
NAVIGATION = {
    "Optimization": [
        {
            "page": "app_pages/gradient_descent.py",
            "title": "Gradient descent",
            "icon": ":material/trending_down:",
            "question": "Describe gradient descent. Batch vs stochastic vs mini-batch: why does SGD work?",
            "blurb": "Race batch GD, mini-batch and SGD on one loss surface; measure gradient noise.",
        },
        {
            "page": "app_pages/backpropagation.py",
            "title": "Backpropagation",
            "icon": ":material/account_tree:",
            "question": "What is backpropagation, and how does it differ from gradient descent?",
            "blurb": "Step a tiny network through forward pass, backward pass and update, with every number.",
        },
        {
            "page": "app_pages/optimizers.py",
            "title": "Optimizers and saddle points",
            "icon": ":material/route:",
            "question": "How do you avoid saddle points? Momentum, adaptive steps and Newton's method.",
            "blurb": "Race nine optimizers across saddles, valleys and plateaus; read the Hessian.",
        },
        {
            "page": "app_pages/loss_functions.py",
            "title": "Loss functions",
            "icon": ":material/functions:",
            "question": "Describe the cross-entropy loss. Why not squared error for classification?",
            "blurb": "Softmax, −log p, the gradient p − y and the full softmax Jacobian, live.",
        },
        {
            "page": "app_pages/autodiff.py",
            "title": "Derivatives and autodiff",
            "icon": ":material/calculate:",
            "question": "How do you take the derivative of a custom loss: by hand or automatically?",
            "blurb": "Type a loss; reverse-mode autodiff vs finite differences and their errors.",
        },
    ],
    "Training": [
        {
            "page": "app_pages/batch_size.py",
            "title": "Batch size",
            "icon": ":material/stacks:",
            "question": "How do you choose a batch size?",
            "blurb": "Train one net with up to seven batch sizes: curves, gradient noise, memory, time.",
        },
        {
            "page": "app_pages/network_depth.py",
            "title": "Network depth",
            "icon": ":material/layers:",
            "question": "How deep should a neural network be?",
            "blurb": "Cross-validate a depth × width grid; parameters, AIC/BIC, decision boundaries.",
        },
    ],
    "Regularization": [
        {
            "page": "app_pages/regularization.py",
            "title": "L1 and L2",
            "icon": ":material/compress:",
            "question": "Describe L1 and L2 regularization. When would you use which?",
            "blurb": "Coefficient paths, exact zeros, the diamond and the circle, correlated features.",
        },
        {
            "page": "app_pages/dropout.py",
            "title": "Dropout",
            "icon": ":material/grain:",
            "question": "Why does dropout help?",
            "blurb": "An overfitting net with and without dropout; inverted dropout's scaling checked.",
        },
    ],
    "Architecture": [
        {
            "page": "app_pages/activations.py",
            "title": "Activation functions",
            "icon": ":material/show_chart:",
            "question": "What is an activation function, and how do you choose one?",
            "blurb": "Every activation and its derivative; dead ReLUs; SELU's self-normalization.",
        },
        {
            "page": "app_pages/vanishing_gradients.py",
            "title": "Vanishing gradients",
            "icon": ":material/gradient:",
            "question": "What is the vanishing gradient problem, and how do you fix it?",
            "blurb": "Per-layer gradient norms by depth; init, batch norm, ReLU and clipping toggled.",
        },
        {
            "page": "app_pages/attention.py",
            "title": "Attention",
            "icon": ":material/hub:",
            "question": "How does self-attention work? Why divide the scores by √d_k?",
            "blurb": "Q, K, V, scores, mask and softmax by hand; what unscaled scores do as d_k grows.",
        },
    ],
    "Ensembles": [
        {
            "page": "app_pages/trees.py",
            "title": "Random forest vs boosting",
            "icon": ":material/forest:",
            "question": "Why does gradient boosting use shallower trees than a random forest?",
            "blurb": "Error against depth and trees, bias² and variance, boundaries, fit time.",
        },
    ],
    "Evaluation": [
        {
            "page": "app_pages/bias_variance.py",
            "title": "Bias, variance and cross-validation",
            "icon": ":material/query_stats:",
            "question": "How do you detect overfitting, and how do you choose a model without fooling yourself?",
            "blurb": "Error against complexity and data size, bias² and variance, CV with its SE, leakage.",
        },
        {
            "page": "app_pages/imbalance.py",
            "title": "Metrics under class imbalance",
            "icon": ":material/balance:",
            "question": "Accuracy is 99 %. Is the model good?",
            "blurb": "One threshold on ROC and PR curves; AUC vs AP as positives get rare; remedies.",
        },
    ],
    "Practice": [
        {
            "page": "app_pages/quiz.py",
            "title": "Interview quiz",
            "icon": ":material/quiz:",
            "question": "Can you answer the numbers an interviewer asks for, fast?",
            "blurb": "Randomized questions computed by the lab's own core, with a seed for the class.",
        },
        {
            "page": "app_pages/practice.py",
            "title": "Interview practice",
            "icon": ":material/record_voice_over:",
            "question": "Can you give the full answer in your own words, and still next week?",
            "blurb": "Answer any lesson's question, tick the model answer's key points, review what you missed.",
        },
        {
            "page": "app_pages/class.py",
            "title": "Class polls",
            "icon": ":material/co_present:",
            "question": "What does the whole room predict before the experiment runs?",
            "blurb": "Start a class with a join code; students answer each lesson's prediction from phones.",
        },
    ],
}


def _page(entry: dict) -> st.Page:
    """A registry entry as Streamlit's page (its address: the script's name, as ui.pages gives it)."""
    return st.Page(entry["page"], title=entry["title"], icon=entry["icon"])


home = st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True)
sections = {"": [home]} | {s: [_page(e) for e in entries] for s, entries in NAVIGATION.items()}

page = st.navigation(sections)
classroom.start_run(page.url_path)
if classroom.presenting():
    classroom.presenter_styles()
page.run()
export.export_footer()
lesson.neighbours()
classroom.sidebar_tools()
classroom.link_notice()

with st.sidebar:
    st.caption(
        "ML Interview Lab · every experiment is seeded: the same link gives the same charts "
        "(measured wall times aside; a link carries no uploaded file and no steps taken with a "
        "page's buttons). "
        "The science runs in the `core` package, usable on its own in a notebook."
    )
